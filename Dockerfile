# sqm-cer-mock in a container (docs/docker.md). Two stages: the build stage compiles better-sqlite3
# and the TypeScript; the final image holds the built package and its production dependencies,
# runs as the unprivileged user node, takes its flags from SQM_MOCK_* variables and checks its own
# health (GET /__health, which needs no token).
# Both stages on the same pinned image: the native module built in the first runs in the second.
FROM node:20.20.2-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY server ./server
COPY db ./db
COPY scripts/bundle-cli.js ./scripts/
# npm ci builds dist/ too (the prepare script); then the dev dependencies go.
RUN npm ci --no-audit --no-fund \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm cache clean --force

FROM node:20.20.2-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends cabextract \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir /data \
 && chown node:node /data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY db ./db
COPY scenarios ./scenarios
COPY schema ./schema
# Every flag has a variable (--cer-port: SQM_MOCK_CER_PORT); a flag given after the image name wins.
ENV NODE_ENV=production \
    SQM_MOCK_HOST=0.0.0.0 \
    SQM_MOCK_PORT=8080 \
    SQM_MOCK_CER_PORT=1273 \
    SQM_MOCK_DB=/data/capture.sqlite \
    SQM_MOCK_FILESHARE=/data/fileshare
USER node
EXPOSE 8080 1273
VOLUME ["/data"]
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=5 CMD ["node", "dist/server/healthcheck.js"]
ENTRYPOINT ["node", "dist/server/cli.js"]
