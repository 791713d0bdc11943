// The container files, read critically without a Docker engine (none runs here): the Dockerfile
// parsed (dockerfile-ast) and validated (dockerfile-utils, the linter of VS Code's Docker support),
// then held to hadolint-style rules of our own; docker-compose.yml and .dockerignore parsed; and the
// image's health check (dist/server/healthcheck.js) run against live mocks. docs/docker.md.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import YAML from 'yaml';
import { parseCliArgs } from '../../server/cli-args';
import { withEnvFlags } from '../../server/env-flags';
import { killAllClis, requireBuild, startCli } from '../helpers/cli';
import { itWithOpenssl, selfSignedCert } from '../helpers/tls';

const root = path.resolve(__dirname, '../..');
const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');
const text = read('Dockerfile');
const dockerfile = DockerfileParser.parse(text);
const all = dockerfile.getInstructions();
const froms = dockerfile.getFROMs();
const finalStart = froms[froms.length - 1].getRange().start.line;
const final = all.filter((i) => i.getRange().start.line >= finalStart);
const keyword = (list: Instruction[], k: string) => list.filter((i) => i.getKeyword() === k);
const args = (i: Instruction) => i.getArguments().map((a) => a.getValue());
const runs = keyword(all, 'RUN').map((i) => i.getArgumentsContent() ?? '');
const env = Object.fromEntries(
  keyword(final, 'ENV').flatMap((i) => (i as unknown as { getProperties(): { getName(): string; getValue(): string }[] }).getProperties().map((p) => [p.getName(), p.getValue()])),
);
const execForm = (i: Instruction) => JSON.parse(i.getArgumentsContent() ?? 'null') as string[];

describe('Dockerfile', () => {
  it('has no problem the dockerfile-utils linter finds', () => {
    expect(validate(text).map((d) => [d.range.start.line + 1, d.message])).toEqual([]);
  });
  it('the linter does find problems (a bad file, as a check of the check)', () => {
    expect(validate('FROM node\nHEALTHCHECK --interval=abc CMD x\nFOO bar\n').map((d) => d.message)).toEqual(['time: invalid duration abc', 'Unknown instruction: FOO']);
  });

  it('is multi-stage on one pinned base image (a version tag, not latest), so the native module built runs', () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const f of froms) expect([f.getImageName(), f.getImageTag()]).toEqual(['node', expect.stringMatching(/^\d+\.\d+\.\d+-bookworm-slim$/)]);
    expect(new Set(froms.map((f) => f.getImageTag())).size).toBe(1);
    expect(froms[0].getBuildStage()).toBe('build');
  });

  it('has no build tools in the final stage; it copies the built package from the build stage', () => {
    for (const r of keyword(final, 'RUN')) expect(r.getArgumentsContent()).not.toMatch(/\b(g\+\+|gcc|make|python3|build-essential|npm (ci|install))\b/);
    const fromBuild = keyword(final, 'COPY').filter((c) => (c as unknown as { getFromFlag(): { getValue(): string } | null }).getFromFlag()?.getValue() === 'build');
    expect(fromBuild.map((c) => args(c)[0])).toEqual(['/app/package.json', '/app/node_modules', '/app/dist']);
    expect(runs.some((r) => /npm ci\b.*npm prune --omit=dev/.test(r))).toBe(true);
  });

  it('runs as a user that is not root, set before the entrypoint', () => {
    const users = keyword(final, 'USER');
    expect(users.length).toBeGreaterThan(0);
    const last = users[users.length - 1];
    expect(args(last)[0]).not.toMatch(/^(root|0)(:|$)/);
    expect(last.getRange().start.line).toBeLessThan(keyword(final, 'ENTRYPOINT')[0].getRange().start.line);
    expect(runs.some((r) => /chown node:node \/data/.test(r))).toBe(true);
  });

  it('has its own HEALTHCHECK: the built health check script, in exec form, with its timings', () => {
    const [h] = keyword(final, 'HEALTHCHECK');
    expect(h).toBeDefined();
    expect(text).toMatch(/^HEALTHCHECK .* CMD \["node", "dist\/server\/healthcheck\.js"\]$/m);
    expect(fs.existsSync(path.join(root, 'server', 'healthcheck.ts'))).toBe(true);
    const flags = Object.fromEntries((h as unknown as { getFlags(): { getName(): string; getValue(): string }[] }).getFlags().map((f) => [f.getName(), f.getValue()]));
    expect(Object.keys(flags).sort()).toEqual(['interval', 'retries', 'start-period', 'timeout']);
  });

  it('runs the CLI in exec form, its flags from SQM_MOCK_* variables that the CLI accepts', () => {
    expect(execForm(keyword(final, 'ENTRYPOINT')[0])).toEqual(['node', 'dist/server/cli.js']);
    expect(keyword(final, 'CMD')).toEqual([]);
    const parsed = parseCliArgs(withEnvFlags([], env));
    expect(parsed).toMatchObject({ help: false, options: { host: '0.0.0.0', port: 8080, cerPort: 1273, db: '/data/capture.sqlite', fileshare: '/data/fileshare' } });
    expect(keyword(final, 'EXPOSE').flatMap(args)).toEqual([env.SQM_MOCK_PORT, env.SQM_MOCK_CER_PORT]);
    expect(keyword(final, 'VOLUME').map((v) => v.getArgumentsContent())).toEqual(['["/data"]']);
  });

  it('hadolint-style: no ADD, no sudo, no cd, absolute WORKDIR, apt-get with -y, --no-install-recommends and its lists removed, npm ci', () => {
    expect(keyword(all, 'ADD')).toEqual([]); // DL3020 (and no URLs fetched at build time)
    for (const r of runs) {
      expect(r).not.toMatch(/\bsudo\b/); // DL3004
      expect(r).not.toMatch(/(^|&&|;)\s*cd\s/); // DL3003
      expect(r).not.toMatch(/\b(curl|wget)\b/);
      if (/apt-get install/.test(r)) {
        expect(r).toMatch(/apt-get update\s+&& apt-get install -y --no-install-recommends /); // DL3014, DL3015
        expect(r).toMatch(/rm -rf \/var\/lib\/apt\/lists\/\*/); // DL3009
      }
      expect(r).not.toMatch(/\bnpm install\b/);
    }
    for (const w of keyword(all, 'WORKDIR')) expect(args(w)[0]).toMatch(/^\//); // DL3000
    expect(keyword(all, 'MAINTAINER')).toEqual([]); // DL4000
  });

  it('copies only what exists and what .dockerignore lets into the context', () => {
    const allowed = read('.dockerignore')
      .split('\n')
      .filter((l) => l.startsWith('!'))
      .map((l) => l.slice(1).replace(/\/$/, ''));
    for (const c of keyword(all, 'COPY').filter((i) => !(i as unknown as { getFromFlag(): unknown }).getFromFlag())) {
      for (const src of args(c).slice(0, -1)) {
        expect(fs.existsSync(path.join(root, src))).toBe(true);
        expect(allowed).toContain(src);
      }
    }
  });
});

describe('.dockerignore', () => {
  const lines = read('.dockerignore')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));
  it('starts from nothing (**) and lets in only the build inputs, never node_modules, dist or data', () => {
    expect(lines[0]).toBe('**');
    const allowed = lines.filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/\/$/, ''));
    expect(allowed.sort()).toEqual(['db', 'package-lock.json', 'package.json', 'scenarios', 'schema', 'scripts/bundle-cli.js', 'server', 'tsconfig.build.json', 'tsconfig.json']);
    expect(lines).toContain('server/**/*.test.ts');
  });
});

describe('docker-compose.yml', () => {
  const doc = YAML.parse(read('docker-compose.yml'));
  const svc = doc.services['sqm-cer-mock'];
  it('publishes the ports the image serves and keeps the store in a volume', () => {
    expect(svc.build).toBe('.');
    expect(svc.ports).toEqual([`${env.SQM_MOCK_PORT}:${env.SQM_MOCK_PORT}`, `${env.SQM_MOCK_CER_PORT}:${env.SQM_MOCK_CER_PORT}`]);
    expect(svc.volumes).toEqual(['capture:/data']);
    expect(Object.keys(doc.volumes)).toEqual(['capture']);
  });
  it("uses the image's own health check, and variables the CLI accepts", () => {
    expect(svc.healthcheck).toBeUndefined();
    const parsed = parseCliArgs(withEnvFlags([], { ...env, ...svc.environment }));
    expect(parsed).toMatchObject({ options: { scenario: 'scenarios/happy-path.yaml' } });
    expect(fs.existsSync(path.join(root, svc.environment.SQM_MOCK_SCENARIO))).toBe(true);
  });
});

// The HEALTHCHECK's script, run as Docker runs it: `node dist/server/healthcheck.js` with the
// image's SQM_MOCK_* variables, against real mocks.
describe('the health check script (dist/server/healthcheck.js)', () => {
  const script = path.join(root, 'dist', 'server', 'healthcheck.js');
  const check = (vars: Record<string, string>) => spawnSync(process.execPath, [script], { env: { PATH: process.env.PATH, ...vars }, encoding: 'utf8', timeout: 10_000 });
  const portOf = (url: string) => new URL(url).port;
  beforeAll(requireBuild);
  afterAll(killAllClis);

  it('exits 0 against a healthy mock, also one started with --admin-token (GET /__health needs no token)', async () => {
    const mock = await startCli(['--port', '0', '--db', ':memory:', '--quiet', '--admin-token', 's3cret']);
    try {
      expect((await fetch(`${mock.urls.main}/__admin/health`)).status).toBe(401);
      expect(await (await fetch(`${mock.urls.main}/__health`)).json()).toEqual({ status: 'ok' });
      const r = check({ SQM_MOCK_HOST: '0.0.0.0', SQM_MOCK_PORT: portOf(mock.urls.main), SQM_MOCK_ADMIN_TOKEN: 's3cret' });
      expect([r.status, r.stderr]).toEqual([0, '']);
    } finally {
      await mock.stop();
    }
  });

  it('exits 1 with one line when nothing listens', () => {
    const r = check({ SQM_MOCK_PORT: '1' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^unhealthy: http:\/\/127\.0\.0\.1:1\/__health: .*ECONNREFUSED.*\n$/);
  });

  it('GET /__health is on the main listener only, and another method there is an unknown route as before', async () => {
    const mock = await startCli(['--port', '0', '--cer-port', '0', '--db', ':memory:', '--quiet'], ['main', 'cer']);
    try {
      expect((await fetch(`${mock.urls.cer}/__health`)).status).toBe(404);
      expect((await fetch(`${mock.urls.main}/__health`, { method: 'POST', body: 'x' })).status).toBe(404);
      expect((await fetch(`${mock.urls.main}/__health`, { method: 'HEAD' })).status).toBe(200);
    } finally {
      await mock.stop();
    }
  });

  itWithOpenssl('the HTTPS health check')('asks over HTTPS when SQM_MOCK_TLS_CERT is set', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'health-tls-'));
    const { key, cert } = selfSignedCert(dir);
    const mock = await startCli(['--port', '0', '--db', ':memory:', '--quiet', '--tls-cert', cert, '--tls-key', key]);
    try {
      const r = check({ SQM_MOCK_PORT: portOf(mock.urls.main), SQM_MOCK_TLS_CERT: cert });
      expect([r.status, r.stderr]).toEqual([0, '']);
      expect(check({ SQM_MOCK_PORT: portOf(mock.urls.main) }).status).toBe(1);
    } finally {
      await mock.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the CLI reads its flags from SQM_MOCK_* variables, a flag given wins, and a bad one names the variable', async () => {
    const vars = { SQM_MOCK_PORT: '0', SQM_MOCK_CER_PORT: '0', SQM_MOCK_DB: ':memory:', SQM_MOCK_QUIET: '1', SQM_MOCK_SCENARIO: path.join(root, 'scenarios/throttle-403.yaml') };
    const mock = await startCli(['--scenario', path.join(root, 'scenarios/throttle-201.yaml')], ['main', 'cer'], { timeoutMs: 30_000, env: { ...process.env, ...vars } });
    try {
      expect(mock.stdout().trim().split('\n')).toHaveLength(2); // quiet: the two listening lines only
      const scenario = (await (await fetch(`${mock.urls.main}/__admin/scenario`)).json()) as { name: string };
      expect(scenario.name).toBe('throttle-201');
    } finally {
      await mock.stop();
    }
    const bad = spawnSync(process.execPath, [path.join(root, 'dist/server/cli.js')], { env: { ...process.env, SQM_MOCK_PORT: 'http' }, encoding: 'utf8', timeout: 10_000 });
    expect([bad.status, bad.stderr]).toEqual([2, 'sqm-cer-mock: SQM_MOCK_PORT (environment): --port: expected a port number 0..65535, got "http"\n']);
  }, 60_000);
});
