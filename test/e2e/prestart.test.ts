// prestart (scripts/build-if-stale.js, issue 14 item 1 and issue 16): `npm start` builds only when
// dist/ is older than its sources, told from file times without loading TypeScript.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { requireBuild } from '../helpers/cli';

const ROOT = path.resolve(__dirname, '../..');
const STAMP = path.join(ROOT, 'dist', '.tsbuildinfo');
const run = () => execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-if-stale.js')], { cwd: ROOT, stdio: 'pipe' });

it('builds when the stamp is older than a source, then skips while nothing changed', () => {
  requireBuild();
  fs.utimesSync(STAMP, new Date(0), new Date(0));
  const before = Date.now();
  run(); // stale: tsc -b runs (nothing to emit) and the stamp is touched
  const built = fs.statSync(STAMP).mtimeMs;
  expect(built).toBeGreaterThanOrEqual(before - 1000);
  run(); // up to date: nothing runs, the stamp stays
  expect(fs.statSync(STAMP).mtimeMs).toBe(built);
}, 120_000);
