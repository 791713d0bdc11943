# sqm-cer-mock in a container: builds better-sqlite3 from source (python3, make, g++), then serves.
FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ cabextract && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY server ./server
COPY db ./db
COPY scenarios ./scenarios
# npm ci builds dist/ too (the prepare script).
RUN npm ci && npm prune --omit=dev
EXPOSE 8080 1273
VOLUME ["/data"]
CMD ["node", "dist/server/cli.js", "--host", "0.0.0.0", "--port", "8080", "--cer-port", "1273", "--db", "/data/capture.sqlite", "--fileshare", "/data/fileshare"]
