// The bin runs the CLI from one bundled file with V8's code cache (issue 16 item 5,
// scripts/bundle-cli.js, server/launch/code-cache.ts). What the bundle leaves out (multer,
// iconv-lite's double-byte tables) is still found when needed; each bundled module finds the files
// beside it (migrations, web page, writer thread); without the bundle the bin loads the modules.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { CLI, killAllClis, requireBuild, startCli } from '../helpers/cli';

const ROOT = path.resolve(__dirname, '../..');
const BUNDLE = path.join(ROOT, 'dist', 'server', 'cli-main.bundle.js');

let tmp: string;
beforeAll(() => {
  requireBuild();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bin-bundle-'));
});
afterAll(() => {
  killAllClis();
  fs.rmSync(tmp, { recursive: true, force: true });
});

it('the bundle is one ASCII file without the modules it leaves on disk', () => {
  const text = fs.readFileSync(BUNDLE);
  expect(text.findIndex((b) => b > 0x7f)).toBe(-1);
  const src = text.toString('latin1');
  expect(src).toContain('require("multer")');
  expect(src).toContain('require("better-sqlite3")');
  expect(src).toMatch(/require\("iconv-lite\/encodings\/tables\/cp936\.json"\)/);
  expect(src).not.toContain('node_modules/multer/');
  expect(src).not.toContain('node_modules/zod/v4/locales/fr.cjs');
});

it('serves from the bundle: the code cache is written after start-up and used by the next start', async () => {
  const own = path.join(tmp, 'tmpdir');
  fs.mkdirSync(own);
  const env = { ...process.env, TMPDIR: own, NODE_DISABLE_COMPILE_CACHE: '' };
  const first = await startCli(['--port', '0', '--db', path.join(tmp, 'a.sqlite'), '--quiet'], ['main'], { env });
  const folder = path.join(own, `sqm-cer-mock-code-cache-${process.getuid!()}`);
  const cached = () => (fs.existsSync(folder) ? fs.readdirSync(folder).filter((f) => f.startsWith('cli-main.bundle--') && f.endsWith('.bin')) : []);
  const deadline = Date.now() + 10_000;
  while (cached().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(cached()).toHaveLength(1);
  expect(cached()[0]).toContain(`--${fs.statSync(BUNDLE).size}-`);
  // The web page's files and the migrations are found beside their modules.
  const page = await fetch(`${first.urls.main}/__admin/ui/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/<html/i);
  expect(await first.stop()).toBe(0);
  const cacheStat = fs.statSync(path.join(folder, cached()[0]));

  const second = await startCli(['--port', '0', '--db', path.join(tmp, 'a.sqlite'), '--quiet'], ['main'], { env });
  // A multipart scenario (multer, loaded from disk at the first one) and a text body in GBK
  // (body-parser decodes it with iconv-lite's cp936 table, also loaded from disk).
  const form = new FormData();
  form.append('scenario', new Blob(['rules: []\n']), 'empty.yaml');
  const multipart = await fetch(`${second.urls.main}/__admin/scenario`, { method: 'PUT', body: form });
  expect(multipart.status).toBe(200);
  const gbk = await fetch(`${second.urls.main}/__admin/scenario`, {
    method: 'PUT',
    headers: { 'content-type': 'text/plain; charset=gbk' },
    body: iconv.encode('# 中文注释\nrules: []\n', 'gbk'),
  });
  expect(gbk.status).toBe(200);
  const sqm = await fetch(`${second.urls.main}/sqm/windows/sqmserver.dll`, { method: 'POST', body: fs.readFileSync(path.join(ROOT, 'samples', 'win7-sp1-capture.bin')) });
  expect(sqm.status).toBe(200);
  const stored = (await (await fetch(`${second.urls.main}/__admin/requests?protocol=sqm-v1`)).json()) as { total?: number; requests?: unknown[] };
  expect(stored.requests?.length ?? stored.total).toBeGreaterThanOrEqual(1);
  // A start whose cache V8 refused writes it again after a second: this one does not.
  await new Promise((r) => setTimeout(r, 1500));
  expect(await second.stop()).toBe(0);
  expect(cached()).toHaveLength(1);
  const after = fs.statSync(path.join(folder, cached()[0]));
  expect([after.ino, after.mtimeMs]).toEqual([cacheStat.ino, cacheStat.mtimeMs]);
}, 60_000);

it('without the bundle (only tsc ran) the bin loads the modules one by one', () => {
  const copy = path.join(tmp, 'checkout');
  fs.mkdirSync(copy);
  fs.cpSync(path.join(ROOT, 'dist'), path.join(copy, 'dist'), { recursive: true });
  fs.rmSync(path.join(copy, 'dist', 'server', 'cli-main.bundle.js'));
  for (const f of ['package.json', 'db', 'node_modules']) fs.symlinkSync(path.join(ROOT, f), path.join(copy, f));
  const r = spawnSync(process.execPath, [path.join(copy, 'dist', 'server', 'cli.js'), '--version'], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
  expect(help.stdout).toContain('--port');
});
