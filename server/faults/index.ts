// Carries out an answer on the socket: after its delay, either normally or as a fault (INTERFACE.md
// section 3). The only code that touches sockets; a fault is data until it reaches here.

import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Answer } from '../core/types';
import { mulberry32 } from '../scenario/rng';
import type { Delivery, FaultKind } from '../scenario/types';

/** Status recorded for a fault that sends no status line. */
export const NO_STATUS = -1;

/** The status a client sees under `fault` (NO_STATUS when no status line is sent). */
export const faultStatus = (fault: FaultKind | undefined, answer: Answer): number => (fault === undefined || fault === 'empty' || fault === 'truncate' ? answer.status : NO_STATUS);

function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function sendAnswer(res: ServerResponse, a: Answer, extra: Record<string, string | number> = {}): void {
  res.writeHead(a.status, { ...a.headers, ...extra, 'content-length': a.body.length });
  res.end(a.body);
}

/**
 * Waits for the delivery's delay (ended early by `shutdown`), then answers or fails as told.
 * @example await deliver(res, answer, { delayMs: 0, fault: 'reset', faultSeed: 0 }, signal);
 */
export async function deliver(res: ServerResponse, a: Answer, d: Delivery, shutdown: AbortSignal, extra: Record<string, string | number> = {}): Promise<void> {
  // A pipelined answer waits for the ones before it: Node gives it res.socket only in its turn (and
  // buffers what it writes until then), so its connection is the request's.
  const socket = res.socket ?? res.req.socket;
  if (!(await sleep(d.delayMs, shutdown)) || socket === null || socket.destroyed) {
    socket?.destroy();
    return;
  }
  switch (d.fault) {
    case undefined:
      return sendAnswer(res, a, extra);
    case 'reset':
      // TCP RST instead of FIN: the client sees ECONNRESET.
      return void socket.resetAndDestroy();
    case 'close':
      return void socket.end();
    case 'empty':
      res.writeHead(a.status, { ...a.headers, ...extra, 'content-length': 0 });
      return void res.end();
    case 'garbage':
      socket.write(garbage(d.faultSeed));
      return void socket.end();
    case 'truncate':
      return truncate(res, a, extra);
    case 'hang':
      // Never answer; the socket stays open until the client gives up or the server shuts down.
      return hang(socket, shutdown);
  }
}

/** Keeps the socket open until the client gives up or shutdown; drops the shutdown listener with the socket. */
function hang(socket: Socket, shutdown: AbortSignal): void {
  const onAbort = () => socket.destroy();
  shutdown.addEventListener('abort', onAbort, { once: true });
  socket.once('close', () => shutdown.removeEventListener('abort', onAbort));
}

/** Content-Length promises more than is sent, then the connection ends. */
function truncate(res: ServerResponse, a: Answer, extra: Record<string, string | number>): void {
  const body = a.body.length > 1 ? a.body : Buffer.from('truncated answer body\n');
  const sent = body.subarray(0, Math.floor(body.length / 2));
  res.writeHead(a.status, { ...a.headers, ...extra, 'content-length': body.length });
  res.write(sent, () => res.socket?.destroy());
}

/** 256 repeatable random bytes, never starting like an HTTP status line. */
function garbage(seed: number): Buffer {
  const rng = mulberry32(seed);
  const out = Buffer.alloc(256);
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(rng() * 256);
  if (out[0] === 0x48) out[0] = 0x00; // 'H' could begin "HTTP/"
  return out;
}
