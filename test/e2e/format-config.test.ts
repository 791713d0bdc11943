// `npm run lint` must give the same verdict wherever the checkout lies: Prettier reads .editorconfig
// files up the tree (past the checkout when it has no .git), so an outer folder's settings (tabs,
// CRLF) once made every file "wrong". The project's .editorconfig is the root one, and
// .prettierrc.json names every option such a file could set.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const PRETTIER = path.join(ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs');

it('a checkout without .git under a folder whose .editorconfig says tabs and CRLF still passes prettier --check', () => {
  const outer = fs.mkdtempSync(path.join(os.tmpdir(), 'outer-editorconfig-'));
  try {
    fs.writeFileSync(path.join(outer, '.editorconfig'), 'root = true\n[*]\nindent_style = tab\nindent_size = 8\nend_of_line = crlf\n');
    const repo = path.join(outer, 'checkout');
    fs.mkdirSync(path.join(repo, 'server'), { recursive: true });
    for (const f of ['.editorconfig', '.prettierrc.json', 'package.json', 'server/cli.ts']) fs.copyFileSync(path.join(ROOT, f), path.join(repo, f));
    const out = execFileSync(process.execPath, [PRETTIER, '--check', 'server/cli.ts', 'package.json'], { cwd: repo, encoding: 'utf8' });
    expect(out).toMatch(/All matched files use Prettier code style/);
  } finally {
    fs.rmSync(outer, { recursive: true, force: true });
  }
});
