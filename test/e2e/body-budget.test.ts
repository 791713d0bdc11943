// The in-flight body budget (issue 13 item 5) on a real server: with a 1 MiB budget, a second
// upload arriving while a first holds 2 MiB waits, and past --body-wait-ms gets a 503 with
// Retry-After, captured; once the first is done, uploads are served again.

import net from 'node:net';
import { useMock } from '../helpers/lifecycle';

const mock = useMock({ maxInflightBodyMb: 1, bodyWaitMs: 300 });

/** Opens a raw connection and sends `head` plus `first` body bytes. */
async function send(head: string, first: Buffer): Promise<{ socket: net.Socket; answer: Promise<string> }> {
  const { port } = new URL(mock.url);
  const socket = net.connect(Number(port), '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  let text = '';
  const answer = new Promise<string>((resolve) => {
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('close', () => resolve(text));
    socket.on('end', () => resolve(text));
  });
  socket.write(head);
  socket.write(first);
  return { socket, answer };
}

// The SQM upload path: its limit (the partner's 20 MiB) keeps 2 MiB whole, whatever the unknown routes' limit is.
const UPLOAD = '/sqm/windows/sqmserver.dll';
const postHead = (length: number, path = UPLOAD) => `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`;

describe('--max-inflight-body-mb', () => {
  it('a request arriving while the budget is full waits, then gets 503 with Retry-After, captured', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 0x41);
    // The first holds 2 MiB of a 3 MiB body: over the 1 MiB budget.
    const first = await send(postHead(big.length + 1024 * 1024), big);
    await new Promise((r) => setTimeout(r, 200));
    const second = await send(postHead(10, `${UPLOAD}?second`), Buffer.from('0123456789'));
    const answer = await second.answer;
    expect(answer).toMatch(/^HTTP\/1\.1 503 /);
    expect(answer).toMatch(/\r\nretry-after: 5\r\n/i);
    expect(answer).toMatch(/max-inflight-body-mb/);
    expect(answer).toMatch(/\r\ncontent-type: text\/plain; charset=utf-8\r\n/i);
    const refused = (await mock.client.requests()).find((r) => r.path === `${UPLOAD}?second`);
    expect(refused).toMatchObject({ status: 503, bodySize: 0 });
    first.socket.destroy();
  });

  it("on a CER route the budget's 503 is written as CER writes its answers (windows-1252)", async () => {
    const before = (await mock.client.requests()).length;
    const big = Buffer.alloc(2 * 1024 * 1024, 0x43);
    const first = await send(postHead(big.length + 1024 * 1024), big);
    await new Promise((r) => setTimeout(r, 200));
    const second = await send(postHead(10, '/stage2.htm'), Buffer.from('0123456789'));
    const answer = await second.answer;
    expect(answer).toMatch(/^HTTP\/1\.1 503 /);
    expect(answer).toMatch(/\r\ncontent-type: text\/plain; charset=windows-1252\r\n/i);
    expect(answer).toMatch(/max-inflight-body-mb/);
    first.socket.destroy();
    // Both captured (the holder as aborted) before the next test counts on a free budget.
    await mock.client.waitFor('request', { count: before + 2, timeoutMs: 5000 });
  });

  it('once the holder is gone, the budget is free again', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 0x42);
    const first = await send(postHead(big.length + 1), big);
    await new Promise((r) => setTimeout(r, 200));
    first.socket.destroy();
    await mock.client.waitFor('request', { count: 1, timeoutMs: 5000 });
    const next = await send(postHead(4), Buffer.from('abcd'));
    // Not a session, so refused by SQM v1, but served: not the budget's 503.
    expect(await next.answer).toMatch(/^HTTP\/1\.1 400 /);
  });
});
