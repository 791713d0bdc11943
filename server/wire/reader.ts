// Bounds-checked little-endian reader over a byte buffer. Reads never run past `end`;
// callers ask `has(n)` first, and a read past the end returns undefined instead of throwing.

export class ByteReader {
  readonly buf: Buffer;
  pos: number;
  readonly end: number;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
    this.end = Math.min(end, this.buf.length);
  }

  get remaining(): number {
    return this.end - this.pos;
  }
  has(n: number): boolean {
    return n >= 0 && this.pos + n <= this.end;
  }
  u16(): number | undefined {
    if (!this.has(2)) return undefined;
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number | undefined {
    if (!this.has(4)) return undefined;
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  u64(): bigint | undefined {
    if (!this.has(8)) return undefined;
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return v;
  }
  bytes(n: number): Buffer | undefined {
    if (!this.has(n)) return undefined;
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
}
