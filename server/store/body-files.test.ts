// Large bodies in files beside a file store: written once under their sha256, read back whole or
// as a slice through the store's queries, shared by equal bodies, removed by reset, orphans removed at open.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Store, type CaptureRecord } from '.';
import { BODY_FILE_MIN_BYTES, BodyFiles } from './body-files';
import { SESSION_CAPTURE, SessionQueries } from '../sessions/store';
import { requestRecord, sessionRow } from '../../test/helpers/capture-record';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const big = (fill: number, n = BODY_FILE_MIN_BYTES + 10) => Buffer.alloc(n, fill);

const record = (body: Buffer, truncated = false): CaptureRecord => ({
  request: requestRecord({ body, ...(truncated ? { bodySize: body.length * 2, bodyTruncated: true, bodySha256: sha(Buffer.concat([body, body])) } : {}) }),
});

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'body-files-'));
  file = path.join(dir, 'store.sqlite');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const filesUnder = (root: string): string[] =>
  fs.existsSync(root) ? fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(root, f)).isFile()) : [];

describe('body files', () => {
  it('keeps a body of 64 KiB or more in one file named by its sha256, and a smaller one inline', async () => {
    const store = Store.open(file, { mode: 'main' });
    const large = big(7);
    const a = await store.capture(record(large));
    const b = await store.capture(record(Buffer.from('small')));
    expect(filesUnder(`${file}-bodies`)).toEqual([path.join(sha(large).slice(0, 2), sha(large))]);
    expect(store.queries.requestBody(a.requestId)!.equals(large)).toBe(true);
    expect(store.queries.requestBody(b.requestId)!.toString()).toBe('small');
    const inline = store.db.prepare('SELECT length(body) AS n, body_file AS f FROM requests ORDER BY id').all();
    expect(inline).toEqual([
      { n: 0, f: sha(large) },
      { n: 5, f: null },
    ]);
    await store.close();
  });

  it('writes one file for equal bodies, names a truncated body by the bytes it keeps, and reset removes them all', async () => {
    const store = Store.open(file, { mode: 'main' });
    const large = big(1);
    await store.capture(record(large));
    await store.capture(record(large));
    const cut = big(2);
    const t = await store.capture(record(cut, true));
    expect(
      filesUnder(`${file}-bodies`)
        .map((f) => path.basename(f))
        .sort(),
    ).toEqual([sha(large), sha(cut)].sort());
    expect(store.queries.requestBody(t.requestId)!.equals(cut)).toBe(true);
    await store.reset();
    expect(filesUnder(`${file}-bodies`)).toEqual([]);
    await store.capture(record(large));
    expect(filesUnder(`${file}-bodies`)).toHaveLength(1);
    await store.close();
  });

  it('serves a session slice of a body in a file (stored_body with start and length)', async () => {
    const store = Store.open(file, { mode: 'main', parts: [SESSION_CAPTURE] });
    const body = Buffer.concat([Buffer.alloc(10, 0xaa), big(3), Buffer.alloc(10, 0xbb)]);
    await store.capture({ ...record(body), rows: [sessionRow({ bodyOffset: 10, bodyLength: body.length - 20 })] });
    const [s] = new SessionQueries(store.db).sessions();
    expect(s.sessionBytes.equals(body.subarray(10, body.length - 10))).toBe(true);
    await store.close();
  });

  it('removes at open the files no row names and the temporaries of a crash', async () => {
    let store = Store.open(file, { mode: 'main' });
    const kept = big(4);
    const { requestId } = await store.capture(record(kept));
    await store.close();
    const orphans = new BodyFiles(`${file}-bodies`);
    orphans.put(sha(big(5)), big(5));
    fs.writeFileSync(path.join(`${file}-bodies`, sha(kept).slice(0, 2), `${sha(kept)}.tmp-1-1`), 'partial');
    store = Store.open(file, { mode: 'main' });
    expect(filesUnder(`${file}-bodies`)).toEqual([path.join(sha(kept).slice(0, 2), sha(kept))]);
    expect(store.queries.requestBody(requestId)!.equals(kept)).toBe(true);
    await store.close();
  });

  it('keeps every body inline in a :memory: store', async () => {
    const store = Store.open(':memory:');
    const large = big(6);
    const { requestId } = await store.capture(record(large));
    expect(store.db.prepare('SELECT length(body) AS n FROM requests').get()).toEqual({ n: large.length });
    expect(store.queries.requestBody(requestId)!.equals(large)).toBe(true);
    await store.close();
  });

  it('refuses a name that is not a sha256 (no path outside the folder)', () => {
    expect(() => new BodyFiles(dir).put('../x', Buffer.from('x'))).toThrow('is not a sha256');
  });
});
