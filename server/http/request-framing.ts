// The connection pre-parser: follows HTTP/1.1 message framing (RFC 7230 3.3.3: Content-Length,
// chunked) on the bytes a client sends so it knows where each request line starts, and marks the
// targets Node's parser would refuse (request-target.ts). Bodies, headers and every other byte
// pass through untouched; only a request line is held until its line end. Pure: no sockets.

import { markRequestLine } from './request-target';

/** A line longer than this is never held or scanned: from there on, bytes pass through. */
export const LINE_LIMIT = 64 * 1024;

type State =
  | { kind: 'request-line' }
  | { kind: 'header-line'; contentLength: string[]; transferEncoding: string[]; upgrade: boolean }
  | { kind: 'body'; left: number }
  | { kind: 'chunk-size' }
  | { kind: 'chunk-data'; left: number }
  | { kind: 'trailer-line' }
  /** Framing the pre-parser cannot follow (upgrade, a malformed length): Node's parser decides. */
  | { kind: 'passthrough' };

const newHead = (): State => ({ kind: 'header-line', contentLength: [], transferEncoding: [], upgrade: false });

/** What follows a request head (RFC 7230 3.3.3), or passthrough where Node's parser will decide. */
function afterHead(h: Extract<State, { kind: 'header-line' }>): State {
  if (h.upgrade) return { kind: 'passthrough' };
  if (h.transferEncoding.length) {
    const codings = h.transferEncoding.join(',').split(',');
    const chunked = codings[codings.length - 1].trim().toLowerCase() === 'chunked';
    return chunked && !h.contentLength.length ? { kind: 'chunk-size' } : { kind: 'passthrough' };
  }
  if (!h.contentLength.length) return { kind: 'request-line' };
  const values = new Set(
    h.contentLength
      .join(',')
      .split(',')
      .map((v) => v.trim()),
  );
  const [only] = values;
  if (values.size !== 1 || !/^\d{1,15}$/.test(only)) return { kind: 'passthrough' };
  const left = Number(only);
  return left === 0 ? { kind: 'request-line' } : { kind: 'body', left };
}

/** The state after one complete header line (its text without the line end). */
function afterHeaderLine(h: Extract<State, { kind: 'header-line' }>, text: string): State {
  if (text === '') return afterHead(h);
  // obs-fold (RFC 7230 3.2.4) or no colon: not ours to judge.
  const colon = text.indexOf(':');
  if (/^[ \t]/.test(text) || colon <= 0) return { kind: 'passthrough' };
  const name = text.slice(0, colon).trim().toLowerCase();
  const value = text.slice(colon + 1).trim();
  if (name === 'content-length') h.contentLength.push(value);
  else if (name === 'transfer-encoding') h.transferEncoding.push(value);
  else if (name === 'upgrade') h.upgrade = true;
  return h;
}

function afterChunkSize(text: string): State {
  const size = /^([0-9A-Fa-f]{1,12})[ \t]*(;.*)?$/.exec(text);
  if (!size) return { kind: 'passthrough' };
  const n = parseInt(size[1], 16);
  // RFC 7230 4.1: chunk-data then CRLF; the last chunk (0) is followed by trailers and an empty line.
  return n === 0 ? { kind: 'trailer-line' } : { kind: 'chunk-data', left: n + 2 };
}

/**
 * One connection's pre-parser: `push` every chunk received and send on what it returns, in order;
 * `end` when the client ends its side.
 *
 * @example
 * const f = new RequestFraming();
 * f.push(Buffer.from('PUT \\PersistedCabs\\x.cab HTTP/1.1\r\nContent-Length: 0\r\n\r\n')) // the line with its target marked
 */
export class RequestFraming {
  private state: State = { kind: 'request-line' };
  /** The line being read: held (request line) or already sent on (other lines), for scanning. */
  private line: Buffer[] = [];
  private lineLength = 0;

  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let i = 0;
    while (i < chunk.length) {
      const s = this.state;
      if (s.kind === 'passthrough') {
        out.push(i === 0 ? chunk : chunk.subarray(i));
        break;
      }
      if (s.kind === 'body' || s.kind === 'chunk-data') {
        const n = Math.min(s.left, chunk.length - i);
        out.push(n === chunk.length ? chunk : chunk.subarray(i, i + n));
        i += n;
        s.left -= n;
        if (s.left === 0) this.state = s.kind === 'body' ? { kind: 'request-line' } : { kind: 'chunk-size' };
        continue;
      }
      const lf = chunk.indexOf(0x0a, i);
      const end = lf < 0 ? chunk.length : lf + 1;
      const piece = chunk.subarray(i, end);
      i = end;
      if (s.kind !== 'request-line') out.push(piece);
      this.line.push(piece);
      this.lineLength += piece.length;
      if (lf >= 0) this.completeLine(out);
      else if (this.lineLength > LINE_LIMIT) this.giveUp(out);
    }
    return out;
  }

  /** The bytes still held (an unfinished request line), when the client ends its side. */
  end(): Buffer[] {
    const out: Buffer[] = [];
    if (this.state.kind === 'request-line' && this.lineLength) out.push(...this.line);
    this.line = [];
    this.lineLength = 0;
    return out;
  }

  private completeLine(out: Buffer[]): void {
    const raw = this.line.length === 1 ? this.line[0] : Buffer.concat(this.line, this.lineLength);
    this.line = [];
    this.lineLength = 0;
    const s = this.state;
    if (s.kind === 'request-line') {
      // RFC 7230 3.5: empty lines before a request line are ignored; they go on as they are.
      if (raw.length <= 2 && (raw.length === 1 || raw[0] === 0x0d)) return void out.push(raw);
      const marked = markRequestLine(raw.toString('latin1'));
      out.push(marked === null ? raw : Buffer.from(marked, 'latin1'));
      this.state = newHead();
      return;
    }
    const text = raw.toString('latin1').replace(/\r?\n$/, '');
    if (s.kind === 'header-line') this.state = afterHeaderLine(s, text);
    else if (s.kind === 'chunk-size') this.state = afterChunkSize(text);
    else if (s.kind === 'trailer-line' && text === '') this.state = { kind: 'request-line' };
  }

  private giveUp(out: Buffer[]): void {
    if (this.state.kind === 'request-line') out.push(...this.line);
    this.line = [];
    this.lineLength = 0;
    this.state = { kind: 'passthrough' };
  }
}
