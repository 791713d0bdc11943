// The connection in front of Node's HTTP parser: every byte the client sends goes through the
// pre-parser (request-framing.ts), so a request-target the parser would refuse with a bare 400
// (`PUT \PersistedCabs\…`, MS-CER2 2.2.2, 4.1 step 8) reaches the dispatcher and is captured as
// sent. Node documents that any Duplex may be handed to an HTTP server's connection listener.

import { Duplex } from 'node:stream';
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import tls from 'node:tls';
import { RequestFraming } from './request-framing';
import { unmarkTarget } from './request-target';

/** A client connection whose incoming bytes pass the pre-parser; everything else is the socket's. */
export class TargetSocket extends Duplex {
  private readonly framing = new RequestFraming();

  constructor(readonly inner: Socket) {
    // Half-open as the HTTP server's own sockets: it decides when to end its side.
    super({ allowHalfOpen: true, emitClose: true });
    inner.on('data', (chunk: Buffer) => {
      if (this.destroyed) return;
      for (const piece of this.framing.push(chunk)) if (!this.push(piece)) inner.pause();
    });
    inner.on('end', () => {
      for (const piece of this.framing.end()) this.push(piece);
      this.push(null);
    });
    inner.on('timeout', () => this.emit('timeout'));
    inner.on('error', (e) => this.destroy(e));
    inner.on('close', () => this.destroy());
  }

  override _read(): void {
    this.inner.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, cb: (e?: Error | null) => void): void {
    if (this.inner.write(chunk, encoding)) cb();
    else this.inner.once('drain', () => cb());
  }

  override _writev(chunks: { chunk: Buffer; encoding: BufferEncoding }[], cb: (e?: Error | null) => void): void {
    this.inner.cork();
    let ok = true;
    for (const c of chunks) ok = this.inner.write(c.chunk, c.encoding);
    this.inner.uncork();
    if (ok) cb();
    else this.inner.once('drain', () => cb());
  }

  override _final(cb: (e?: Error | null) => void): void {
    this.inner.end();
    cb();
  }

  override _destroy(e: Error | null, cb: (e?: Error | null) => void): void {
    this.inner.destroy();
    cb(e);
  }

  setTimeout(ms: number, cb?: () => void): this {
    this.inner.setTimeout(ms);
    if (cb) this[ms === 0 ? 'removeListener' : 'once']('timeout', cb);
    return this;
  }

  setNoDelay(noDelay?: boolean): this {
    this.inner.setNoDelay(noDelay);
    return this;
  }

  setKeepAlive(enable?: boolean, delayMs?: number): this {
    this.inner.setKeepAlive(enable, delayMs);
    return this;
  }

  /** A TCP RST (the scenario fault `reset`, server/faults). */
  resetAndDestroy(): this {
    this.inner.resetAndDestroy();
    return this;
  }

  address() {
    return this.inner.address();
  }
  get remoteAddress() {
    return this.inner.remoteAddress;
  }
  get remotePort() {
    return this.inner.remotePort;
  }
  get remoteFamily() {
    return this.inner.remoteFamily;
  }
  get localAddress() {
    return this.inner.localAddress;
  }
  get localPort() {
    return this.inner.localPort;
  }
  get bytesRead() {
    return this.inner.bytesRead;
  }
  get bytesWritten() {
    return this.inner.bytesWritten;
  }
  /** Set on a TLS connection (express reads it for `req.secure`). */
  get encrypted(): boolean {
    return (this.inner as Partial<tls.TLSSocket>).encrypted === true;
  }
}

/**
 * Puts the pre-parser in front of every connection `server` accepts (call once, before `listen`):
 * the server's own connection listeners get a TargetSocket instead of the socket.
 */
export function preParseConnections(server: Server): void {
  // https.Server is a tls.Server: its HTTP side listens on the decrypted connection.
  const event = server instanceof tls.Server ? 'secureConnection' : 'connection';
  const listeners = server.listeners(event) as ((socket: Socket) => void)[];
  server.removeAllListeners(event);
  server.on(event, (socket: Socket) => {
    const wrapped = new TargetSocket(socket) as unknown as Socket;
    for (const l of listeners) l.call(server, wrapped);
  });
}

/** The request-target exactly as the client sent it (RFC 7230 5.3), the pre-parser's marker taken off. */
export const requestTarget = (req: IncomingMessage): string => {
  const url = req.url ?? '/';
  return req.socket instanceof TargetSocket ? unmarkTarget(url) : url;
};
