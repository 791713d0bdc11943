// writeNewFile: the whole buffer in a new file; never over an existing file, never through a link.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeNewFile } from './new-file';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'new-file-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

it('writes the bytes, with or without fsync', () => {
  writeNewFile(path.join(dir, 'a'), Buffer.from('synced'), { sync: true });
  writeNewFile(path.join(dir, 'b'), Buffer.alloc(300_000, 7), { sync: false });
  expect(fs.readFileSync(path.join(dir, 'a'), 'utf8')).toBe('synced');
  expect(fs.readFileSync(path.join(dir, 'b')).equals(Buffer.alloc(300_000, 7))).toBe(true);
});

it('refuses a name that exists, as a file or as a link (the link target is left alone)', () => {
  fs.writeFileSync(path.join(dir, 'taken'), 'old');
  fs.writeFileSync(path.join(dir, 'outside'), 'keep');
  fs.symlinkSync(path.join(dir, 'outside'), path.join(dir, 'link'));
  expect(() => writeNewFile(path.join(dir, 'taken'), Buffer.from('new'), { sync: false })).toThrow(/EEXIST/);
  expect(() => writeNewFile(path.join(dir, 'link'), Buffer.from('new'), { sync: false })).toThrow(/EEXIST|ELOOP/);
  expect(fs.readFileSync(path.join(dir, 'taken'), 'utf8')).toBe('old');
  expect(fs.readFileSync(path.join(dir, 'outside'), 'utf8')).toBe('keep');
});
