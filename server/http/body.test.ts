// readBody against a real node:http server on port 0: whole bodies under the limit, a hashed and
// counted prefix over it, and clients that go away mid-body.

import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { OVER_LIMIT_PREFIX, readBody, type ReadBody } from './body';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

let server: http.Server;
let port: number;
/** The limit the server passes to readBody for the next request. */
let limit = 0;
/** Bytes the server has seen of the current request (for the abort tests). */
let received = 0;
let pending: { resolve: (r: ReadBody) => void } | null = null;

/** The next readBody result on the server. */
function nextResult(): Promise<ReadBody> {
  return new Promise((resolve) => {
    pending = { resolve };
  });
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    received = 0;
    req.on('data', (c: Buffer) => (received += c.length));
    void readBody(req, limit).then((r) => {
      pending?.resolve(r);
      if (!r.aborted) res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** POSTs `body` in chunks of `chunkSize` and resolves with the server's readBody result. */
async function post(body: Buffer, opts: { limit: number; chunkSize?: number; chunked?: boolean }): Promise<ReadBody> {
  limit = opts.limit;
  const result = nextResult();
  const chunkSize = opts.chunkSize ?? 16 * 1024;
  const headers: http.OutgoingHttpHeaders = opts.chunked ? {} : { 'content-length': body.length };
  await new Promise<void>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/x', headers, agent: false }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    const write = (i: number): void => {
      if (i >= body.length) return void req.end();
      const more = req.write(body.subarray(i, i + chunkSize));
      if (more) setImmediate(() => write(i + chunkSize));
      else req.once('drain', () => write(i + chunkSize));
    };
    write(0);
  });
  return result;
}

async function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('readBody under the limit', () => {
  // Every row has all five values: jest takes a test function with more parameters than the row
  // has values to want a `done` callback.
  it.each<[string, number, number, number, boolean]>([
    ['an empty body', 0, 1024, 1024, false],
    ['one byte', 1, 1024, 1024, false],
    ['exactly at the limit', 1024, 1024, 100, false],
    ['several chunks', 200 * 1024, 1024 * 1024, 7 * 1024, false],
    ['larger than the over-limit prefix', 3 * OVER_LIMIT_PREFIX, 20 * 1024 * 1024, 16 * 1024, false],
    ['an empty chunked body', 0, 1024, 1024, true],
    ['chunked transfer encoding', 100 * 1024, 1024 * 1024, 10 * 1024, true],
  ])('keeps %s whole', async (_name, size, lim, chunkSize, chunked) => {
    const body = randomBytes(size);
    const r = await post(body, { limit: lim, chunkSize, chunked });
    // Kept whole, so not hashed here: the store hashes the kept bytes.
    expect(r).toMatchObject({ size, truncated: false, aborted: false, sha256: '' });
    expect(r.body.equals(body)).toBe(true);
  });
});

describe('readBody over the limit', () => {
  it.each<[string, number, number, number]>([
    ['one byte over a small limit', 1025, 1024, 100],
    ['far over a small limit', 300 * 1024, 1000, 16 * 1024],
    ['over a limit above the prefix size', 300 * 1024, 100 * 1024, 16 * 1024],
    ['just over a limit above the prefix size', 100 * 1024 + 1, 100 * 1024, 4096],
    ['one big chunk', 256 * 1024, 10, 256 * 1024],
    ['chunks exactly the prefix size', 4 * OVER_LIMIT_PREFIX, 2 * OVER_LIMIT_PREFIX, OVER_LIMIT_PREFIX],
    ['small chunks over a small limit', 200 * 1024, 1000, 4096],
    ['over a small limit, smaller than the prefix', 10 * 1024, 1000, 1024],
  ])('%s: counts and hashes it all, keeps a prefix', async (_name, size, lim, chunkSize) => {
    const body = randomBytes(size);
    const r = await post(body, { limit: lim, chunkSize });
    expect(r.truncated).toBe(true);
    expect(r.aborted).toBe(false);
    expect(r.size).toBe(size);
    expect(r.sha256).toBe(sha256(body));
    // The stored prefix is the first min(size, 64 KiB) bytes, however the bytes arrived.
    expect(r.body.length).toBe(Math.min(size, OVER_LIMIT_PREFIX));
    expect(r.body.equals(body.subarray(0, r.body.length))).toBe(true);
  });

  it('keeps the whole 64 KiB prefix when the limit was above it', async () => {
    const body = randomBytes(200 * 1024);
    const r = await post(body, { limit: 100 * 1024, chunkSize: 8 * 1024 });
    expect(r.body.equals(body.subarray(0, OVER_LIMIT_PREFIX))).toBe(true);
  });

  it('prefix size is 64 KiB', () => {
    expect(OVER_LIMIT_PREFIX).toBe(65536);
  });
});

describe('readBody when the client goes away', () => {
  /** Sends the head and `sent` bytes of a longer body, waits until the server has them, then resets. */
  async function abortAfter(head: string, first: Buffer, lim: number): Promise<ReadBody> {
    limit = lim;
    const result = nextResult();
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(head);
    socket.write(first);
    await until(() => received === first.length);
    socket.destroy();
    return result;
  }

  it.each<[string, number, number]>([
    ['mid-body, under the limit', 5000, 1024 * 1024],
    ['mid-body, already over the limit', 100 * 1024, 1000],
  ])('%s → aborted', async (_name, sent, lim) => {
    const first = randomBytes(sent);
    const head = `POST /x HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${sent * 10}\r\n\r\n`;
    const r = await abortAfter(head, first, lim);
    expect(r.aborted).toBe(true);
    expect(r.size).toBe(sent);
    expect(r.sha256).toBe(r.truncated ? sha256(first) : '');
    expect(r.body.length).toBeLessThanOrEqual(sent);
    expect(r.body.equals(first.subarray(0, r.body.length))).toBe(true);
  });

  it('a chunked body cut before its last chunk → aborted', async () => {
    const data = randomBytes(3000);
    const head = `POST /x HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const first = Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]);
    limit = 1024 * 1024;
    const result = nextResult();
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(head);
    socket.write(first);
    await until(() => received === data.length);
    socket.destroy();
    const r = await result;
    expect(r).toMatchObject({ aborted: true, size: data.length, sha256: '' });
    expect(r.body.equals(data)).toBe(true);
  });
});

describe('readBody buffers', () => {
  it('preallocates from Content-Length: one buffer of its own, exactly the body', async () => {
    const body = randomBytes(5000);
    const r = await post(body, { limit: 1 << 20, chunkSize: 1000, chunked: false });
    expect(r.body.byteOffset).toBe(0);
    expect(r.body.buffer.byteLength).toBe(5000);
    expect(r.body.equals(body)).toBe(true);
  });
});

describe('readBody with streamOverLimit (the relay)', () => {
  /** A server that reads the stream (all of it, or `readFirst` bytes then discards) and reports. */
  async function streamed(body: Buffer, lim: number, readFirst = Infinity) {
    const seen: { result?: ReadBody; read?: Buffer; totals?: Awaited<NonNullable<ReadBody['stream']>['done']> } = {};
    const s = http.createServer((req, res) => {
      void readBody(req, lim, { streamOverLimit: true }).then(async (r) => {
        seen.result = r;
        const chunks: Buffer[] = [];
        let got = 0;
        if (r.stream) {
          for await (const c of r.stream.readable) {
            chunks.push(c as Buffer);
            got += (c as Buffer).length;
            if (got >= readFirst) break;
          }
          r.stream.discard();
          seen.totals = await r.stream.done;
        }
        seen.read = Buffer.concat(chunks);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    const p = (s.address() as AddressInfo).port;
    await new Promise<void>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: p, method: 'POST', path: '/x', agent: false }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      for (let i = 0; i < body.length; i += 8192) req.write(body.subarray(i, i + 8192));
      req.end();
    });
    await new Promise<void>((resolve) => s.close(() => resolve()));
    return seen;
  }

  it('under the limit: kept whole, no stream', async () => {
    const body = randomBytes(5000);
    const seen = await streamed(body, 10_000);
    expect(seen.result).toMatchObject({ truncated: false, size: 5000 });
    expect(seen.result!.stream).toBeUndefined();
  });

  it('over the limit: the stream holds every byte from the first; totals at done', async () => {
    const body = randomBytes(600 * 1024);
    const seen = await streamed(body, 100 * 1024);
    expect(seen.result).toMatchObject({ truncated: true, aborted: false });
    expect(seen.result!.body.equals(body.subarray(0, OVER_LIMIT_PREFIX))).toBe(true);
    expect(seen.read!.equals(body)).toBe(true);
    expect(seen.totals).toEqual({ size: body.length, sha256: sha256(body), aborted: false });
  });

  it('a reader that stops early and discards: the rest is still counted and hashed', async () => {
    const body = randomBytes(900 * 1024);
    const seen = await streamed(body, 10 * 1024, 200 * 1024);
    expect(seen.read!.length).toBeLessThan(body.length);
    expect(seen.totals).toEqual({ size: body.length, sha256: sha256(body), aborted: false });
  });
});
