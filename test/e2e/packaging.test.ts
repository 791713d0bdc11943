// Checks the package metadata, that the built package resolves through its exports map, and the
// documented install: the tarball of `npm pack` installed into a fresh project, where the README's
// jest example passes. The container files are checked in docker.test.ts.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requireBuild } from '../helpers/cli';
import { installTarball, packTarball, readmeJestExample, runConsumerJest, tarballFiles, type Installed } from '../helpers/consumer';

const root = path.resolve(__dirname, '../..');
const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');

describe('package.json', () => {
  const pkg = JSON.parse(read('package.json'));
  it('is named sqm-cer-mock with a bin and types', () => {
    expect(pkg.name).toBe('sqm-cer-mock');
    expect(pkg.bin['sqm-cer-mock']).toBe('dist/server/cli.js');
    expect(pkg.types).toBe('dist/server/index.d.ts');
  });
  it('exports ".", "./testing" and "./jest" (types first) and ./package.json, all inside "files"', () => {
    expect(pkg.exports).toEqual({
      '.': { types: './dist/server/index.d.ts', default: './dist/server/index.js' },
      './testing': { types: './dist/server/testing/index.d.ts', default: './dist/server/testing/index.js' },
      './jest': { types: './dist/server/jest/index.d.ts', default: './dist/server/jest/index.js' },
      './package.json': './package.json',
    });
    expect(pkg.exports['.'].default).toBe(`./${pkg.main}`);
    // moduleResolution node10 (ts-jest's usual commonjs setup) ignores "exports": typesVersions gives it the subpaths' types.
    expect(pkg.typesVersions).toEqual({ '*': { testing: ['dist/server/testing/index.d.ts'], jest: ['dist/server/jest/index.d.ts'] } });
    for (const target of ['./dist/server/index.js', './dist/server/testing/index.js', './dist/server/jest/index.js']) {
      expect(pkg.files.some((f: string) => target.startsWith(`./${f}`))).toBe(true);
    }
  });
  it('resolves sqm-cer-mock and sqm-cer-mock/testing through the exports map, as a user would', () => {
    requireBuild();
    const script = `const m = require('sqm-cer-mock'); const t = require('sqm-cer-mock/testing'); const j = require('sqm-cer-mock/jest');
      const ok = [m.startMockServer, m.buildSqmSession, t.buildSqmSession, t.buildSqmV2Message, t.buildWerReport, t.buildCabinet, j.sqmMatchers.toHaveReceivedSqmSession].every((f) => typeof f === 'function');
      console.log(ok && m.buildSqmSession === t.buildSqmSession ? 'ok' : 'missing');`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
    expect([r.stdout.trim(), r.stderr]).toEqual(['ok', '']);
    for (const d of ['dist/server/index.d.ts', 'dist/server/testing/index.d.ts', 'dist/server/jest/index.d.ts', pkg.bin['sqm-cer-mock']])
      expect(fs.existsSync(path.join(root, d))).toBe(true);
  });
  it('pins TypeScript below 7 and better-sqlite3 to 12.x (Node 20)', () => {
    expect(pkg.devDependencies.typescript).toMatch(/<\s*6|<\s*7|^[~^]?5\./);
    expect(pkg.dependencies['better-sqlite3']).toMatch(/^\^?12\./);
  });
  it('CI does what the README tells a new user: npm ci, then npm test', () => {
    const ci = read('.ci/run');
    expect(ci.indexOf('npm ci')).toBeGreaterThan(-1);
    expect(ci.indexOf('npm test')).toBeGreaterThan(ci.indexOf('npm ci'));
  });
});

/** A consumer's jest file: the installed bin sends the shipped samples (send cer), the matchers check the capture. */
const CONSUMER_MATCHERS_TEST = `const path = require('node:path');
const { execFile } = require('node:child_process');
const { startMockServer } = require('sqm-cer-mock');
require('sqm-cer-mock/jest');

let mock;
beforeAll(async () => { mock = await startMockServer({ port: 0, db: ':memory:', quiet: true }); });
afterAll(() => mock.close());

test('send cer, then the matchers', async () => {
  const bin = path.join(__dirname, '..', 'node_modules', '.bin', 'sqm-cer-mock');
  const out = await new Promise((resolve, reject) => execFile(bin, ['send', 'cer', '--url', mock.url], (e, stdout, stderr) => (e ? reject(new Error(stderr)) : resolve(stdout))));
  expect(out).toContain('send cer: ok: report taken (bucket 100)');
  await expect(mock).toHaveReceivedCerReport({ eventType: 'APPCRASH', level2: expect.objectContaining({ files: [expect.objectContaining({ name: 'Version.txt' })] }) });
  await expect(mock).not.toHaveReceivedSqmSession({});
  await expect(mock).toHaveNoViolations();
});
`;

// README.md "Install": npm pack → npm install of the tarball into a fresh project → the README's
// jest example passes there, and the bin serves as the CI recipe starts it.
describe('the documented install (npm pack, then npm install of the tarball)', () => {
  const pkg = JSON.parse(read('package.json')) as { files: string[]; version: string };
  let dir: string;
  let tgz: string;
  let files: string[];
  let installed: Installed;
  beforeAll(() => {
    requireBuild();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqm-pack-'));
    tgz = packTarball(dir);
    files = tarballFiles(tgz);
    installed = installTarball(tgz, dir);
  }, 600_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the tarball is named as the README says and holds the built package', () => {
    expect(path.basename(tgz)).toBe(`sqm-cer-mock-${pkg.version}.tgz`);
    for (const f of [
      'package.json',
      'README.md',
      'dist/server/index.js',
      'dist/server/index.d.ts',
      'dist/server/cli.js',
      'dist/server/testing/index.js',
      'dist/server/testing/index.d.ts',
      'dist/server/jest/index.js',
      'samples/win7-sp1-capture.bin',
      'schema/scenario.schema.json',
      'db/migrations/001-initial.sql',
      'scenarios/happy-path.yaml',
      'docs/cli.md',
    ])
      expect(files).toContain(f);
    // Every folder of "files" that the checkout has is shipped whole (samples/ too, once it exists).
    for (const entry of pkg.files.filter((f) => !f.startsWith('!') && fs.existsSync(path.join(root, f)))) {
      const inRepo = fs.readdirSync(path.join(root, entry), { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).length;
      expect([entry, files.filter((f) => f.startsWith(entry)).length]).toEqual([entry, entry === 'dist/' ? expect.any(Number) : inRepo]);
    }
    expect(files.filter((f) => /\.test\.|\.tsbuildinfo$|^test\/|^server\//.test(f))).toEqual([]);
  });

  it('installs into a fresh project and the README jest example passes there', () => {
    fs.mkdirSync(path.join(installed.project, 'test'));
    fs.writeFileSync(path.join(installed.project, 'test', 'mock.test.js'), readmeJestExample());
    const r = runConsumerJest(installed.project);
    expect([r.status, r.stderr]).toEqual([0, expect.stringContaining('1 passed')]);
  }, 120_000);

  it("in the consumer, the installed bin's `send cer` runs against a mock and sqm-cer-mock/jest's matchers see it", () => {
    fs.mkdirSync(path.join(installed.project, 'test'), { recursive: true });
    fs.writeFileSync(path.join(installed.project, 'test', 'matchers.test.js'), CONSUMER_MATCHERS_TEST);
    const r = runConsumerJest(installed.project);
    expect([r.status, r.stderr]).toEqual([0, expect.stringMatching(/Tests: +2 passed/)]);
  }, 120_000);

  it("the consumer's bin serves, answers health and stops on SIGTERM to its own PID (the CI recipe)", async () => {
    const bin = path.join(installed.project, 'node_modules', '.bin', 'sqm-cer-mock');
    const child = spawn(bin, ['--port', '0', '--db', ':memory:', '--fileshare', path.join(dir, 'fs')], { cwd: installed.project });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const m = /^listening main (\S+)$/m.exec(out);
        if (m) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code} before listening`)));
    });
    expect(await (await fetch(`${url}/__admin/health`)).json()).toEqual({ status: 'ok' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);
});
