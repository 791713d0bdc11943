// The documented install, as a consumer does it: `npm pack` of this checkout, then `npm install` of
// the tarball into a fresh project (README.md, "Install"). Used by test/e2e/packaging.test.ts.

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

function run(cmd: string, args: string[], cwd: string, timeout = 240_000): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

/**
 * `npm pack` of the checkout into `dir`; returns the tarball's path. `--ignore-scripts`: the test
 * packs the dist/ already built (npm test builds first), so it never rebuilds dist/ while other
 * tests read it; a user's plain `npm pack` runs `prepare`, which builds.
 */
export function packTarball(dir: string): string {
  const r = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], root);
  const [info] = JSON.parse(r.stdout) as { filename: string }[];
  return path.join(dir, info.filename);
}

/** The paths in a tarball, without npm's `package/` prefix. */
export function tarballFiles(tgz: string): string[] {
  return run('tar', ['tzf', tgz], path.dirname(tgz))
    .stdout.split('\n')
    .filter(Boolean)
    .map((f) => f.replace(/^package\//, ''));
}

export interface Installed {
  project: string;
  /** How better-sqlite3's native binary got there. */
  nativeBinary: 'copied from the checkout' | 'built by npm rebuild';
  seconds: number;
}

/**
 * A fresh project in `dir` with the tarball installed. Offline from the npm cache when it holds every
 * package (else `--prefer-offline`). Install scripts are skipped and better-sqlite3's binary is
 * copied from this checkout's node_modules when both have the same version (built by the same
 * `npm ci` on this machine, for this Node); otherwise `npm rebuild better-sqlite3` builds it, as
 * npm install would have (minutes when it compiles).
 */
export function installTarball(tgz: string, dir: string): Installed {
  const started = Date.now();
  const project = path.join(dir, 'consumer');
  fs.mkdirSync(project, { recursive: true });
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2));
  const args = ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--save-dev', tgz];
  const offline = spawnSync('npm', [...args, '--offline'], { cwd: project, encoding: 'utf8', timeout: 240_000 });
  if (offline.status !== 0) run('npm', [...args, '--prefer-offline'], project);
  const version = (dir: string) => (JSON.parse(fs.readFileSync(path.join(dir, 'better-sqlite3', 'package.json'), 'utf8')) as { version: string }).version;
  const ours = path.join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  const theirs = path.join(project, 'node_modules');
  let nativeBinary: Installed['nativeBinary'] = 'copied from the checkout';
  if (fs.existsSync(ours) && version(path.join(root, 'node_modules')) === version(theirs)) {
    fs.mkdirSync(path.join(theirs, 'better-sqlite3', 'build', 'Release'), { recursive: true });
    fs.copyFileSync(ours, path.join(theirs, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'));
  } else {
    run('npm', ['rebuild', 'better-sqlite3'], project, 600_000);
    nativeBinary = 'built by npm rebuild';
  }
  return { project, nativeBinary, seconds: (Date.now() - started) / 1000 };
}

/** The README's jest example (the ```js block of "A jest test"), as the consumer's test file. */
export function readmeJestExample(): string {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## A jest test'));
  const m = /```js\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('README.md: no ```js block under "## A jest test"');
  return m[1];
}

/** Runs jest in the consumer project (this checkout's jest binary; the test resolves sqm-cer-mock from the project). */
export function runConsumerJest(project: string): SpawnSyncReturns<string> {
  const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
  const config = JSON.stringify({ rootDir: project, testEnvironment: 'node', testMatch: ['<rootDir>/test/**/*.test.js'] });
  return spawnSync(process.execPath, [jest, '--ci', '--config', config], { cwd: project, encoding: 'utf8', timeout: 120_000 });
}
