// Checks the container files and package metadata by parsing them (no Docker engine runs here),
// and that the built package resolves through its exports map.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { parseCliArgs } from '../../server/cli-args';
import { requireBuild } from '../helpers/cli';

const root = path.resolve(__dirname, '../..');
const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');

describe('Dockerfile', () => {
  const lines = read('Dockerfile')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'));
  const cmd = JSON.parse(lines.find((l) => l.startsWith('CMD '))!.slice(4)) as string[];
  it('runs the built CLI with flags the CLI accepts', () => {
    expect(cmd.slice(0, 2)).toEqual(['node', 'dist/server/cli.js']);
    expect(parseCliArgs(cmd.slice(2))).toMatchObject({ help: false, options: { host: '0.0.0.0', port: 8080, cerPort: 1273 } });
  });
  it('copies every folder the build and the runtime need, and installs with npm ci', () => {
    for (const dir of ['server', 'db', 'scenarios']) expect(lines).toContain(`COPY ${dir} ./${dir}`);
    expect(lines.some((l) => /RUN npm ci/.test(l))).toBe(true);
    expect(JSON.parse(read('package.json')).scripts.prepare).toMatch(/build/);
    expect(lines.find((l) => l.startsWith('EXPOSE'))).toBe('EXPOSE 8080 1273');
  });
});

describe('docker-compose.yml', () => {
  const doc = YAML.parse(read('docker-compose.yml'));
  const svc = doc.services['sqm-cer-mock'];
  it('publishes the ports the Dockerfile serves and keeps the store in a volume', () => {
    expect(svc.build).toBe('.');
    expect(svc.ports).toEqual(['8080:8080', '1273:1273']);
    expect(svc.volumes).toEqual(['capture:/data']);
    expect(Object.keys(doc.volumes)).toEqual(['capture']);
  });
  it('health-checks the admin health route', () => {
    expect(svc.healthcheck.test.join(' ')).toContain('/__admin/health');
  });
});

describe('package.json', () => {
  const pkg = JSON.parse(read('package.json'));
  it('is named sqm-cer-mock with a bin and types', () => {
    expect(pkg.name).toBe('sqm-cer-mock');
    expect(pkg.bin['sqm-cer-mock']).toBe('dist/server/cli.js');
    expect(pkg.types).toBe('dist/server/index.d.ts');
  });
  it('exports "." and "./testing" (types first) and ./package.json, all inside "files"', () => {
    expect(pkg.exports).toEqual({
      '.': { types: './dist/server/index.d.ts', default: './dist/server/index.js' },
      './testing': { types: './dist/server/testing/index.d.ts', default: './dist/server/testing/index.js' },
      './package.json': './package.json',
    });
    expect(pkg.exports['.'].default).toBe(`./${pkg.main}`);
    for (const target of ['./dist/server/index.js', './dist/server/testing/index.js']) {
      expect(pkg.files.some((f: string) => target.startsWith(`./${f}`))).toBe(true);
    }
  });
  it('resolves sqm-cer-mock and sqm-cer-mock/testing through the exports map, as a user would', () => {
    requireBuild();
    const script = `const m = require('sqm-cer-mock'); const t = require('sqm-cer-mock/testing');
      const ok = [m.startMockServer, m.buildSqmSession, t.buildSqmSession, t.buildSqmV2Message, t.buildWerReport, t.buildCabinet].every((f) => typeof f === 'function');
      console.log(ok && m.buildSqmSession === t.buildSqmSession ? 'ok' : 'missing');`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
    expect([r.stdout.trim(), r.stderr]).toEqual(['ok', '']);
    for (const d of ['dist/server/index.d.ts', 'dist/server/testing/index.d.ts', pkg.bin['sqm-cer-mock']]) expect(fs.existsSync(path.join(root, d))).toBe(true);
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
