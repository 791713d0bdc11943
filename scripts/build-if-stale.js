#!/usr/bin/env node
// prestart: builds dist/ with `tsc -b tsconfig.build.json` unless it is up to date, which is told
// cheaply (no TypeScript loaded): no source under server/ (tests aside) nor a tsconfig is newer
// than dist/.tsbuildinfo, the file tsc -b writes last. Loading tsc only to learn that costs ~1 s.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const stamp = path.join(root, 'dist', '.tsbuildinfo');

/** The newest modification time (ms) of the build's inputs. */
function newestInput() {
  let newest = 0;
  const see = (file) => (newest = Math.max(newest, fs.statSync(file).mtimeMs));
  for (const f of ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json']) see(path.join(root, f));
  const walk = (dir) => {
    see(dir); // a file removed or renamed changes its folder
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) see(p);
    }
  };
  walk(path.join(root, 'server'));
  return newest;
}

function upToDate() {
  try {
    const built = ['cli.js', 'cli-main.bundle.js'].every((f) => fs.existsSync(path.join(root, 'dist', 'server', f)));
    return built && fs.statSync(stamp).mtimeMs >= newestInput();
  } catch {
    return false;
  }
}

if (!upToDate()) {
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const r = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  const b = spawnSync(process.execPath, [path.join(root, 'scripts', 'bundle-cli.js')], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
  // tsc -b leaves the stamp alone when only timestamps changed: touch it so the next start is quick.
  const now = new Date();
  fs.utimesSync(stamp, now, now);
}
