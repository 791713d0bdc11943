import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FolderProblem, makeFolders, osText } from './make-folders';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'make-folders-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('makes the folder and its missing parents, and accepts one that exists', () => {
  const deep = path.join(dir, 'a', 'b', 'c');
  makeFolders(deep);
  expect(fs.statSync(deep).isDirectory()).toBe(true);
  expect(() => makeFolders(deep)).not.toThrow();
});

it('names the file in the way', () => {
  const file = path.join(dir, 'plain');
  fs.writeFileSync(file, 'x');
  expect(() => makeFolders(path.join(file, 'sub', 'deeper'))).toThrow(new FolderProblem(`${file} is a file, not a folder`));
});

(fs.existsSync('/proc/self') ? it : it.skip)('fails at once under /proc, where mkdir -p of Node 20 loops for ever', () => {
  const started = Date.now();
  expect(() => makeFolders('/proc/nope/deeper')).toThrow(/^cannot create the folder \/proc\/nope: ENOENT \(no such file or directory\)$/);
  expect(Date.now() - started).toBeLessThan(1000);
});

it('osText gives the code and its words', () => {
  const e = Object.assign(new Error("EACCES: permission denied, mkdir '/x'"), { code: 'EACCES' });
  expect(osText(e)).toBe('EACCES (permission denied)');
  expect(osText(new Error('plain'))).toBe('plain');
});
