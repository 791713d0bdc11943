// HTTP helpers for e2e tests: fetch-based uploads, raw sockets for what fetch cannot do (a body
// shorter than its Content-Length, a connection dropped mid-body), and a port nothing listens on.

import net, { type AddressInfo } from 'node:net';

export interface Reply {
  status: number;
  headers: Headers;
  body: Buffer;
  text: string;
}

export async function send(url: string, init: { method?: string; body?: Uint8Array; headers?: Record<string, string> } = {}): Promise<Reply> {
  const res = await fetch(url, { method: init.method ?? 'POST', body: init.body, headers: init.headers });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body, text: body.toString('utf8') };
}

/** Sends a request head claiming `contentLength` bytes, writes `body`, then closes the socket. */
export function sendPartial(baseUrl: string, path: string, contentLength: number, body: Buffer): Promise<void> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Length: ${contentLength}\r\n\r\n`);
      socket.write(body, () => socket.end());
    });
    socket.on('error', reject);
    socket.on('close', () => resolve());
    socket.resume();
  });
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
