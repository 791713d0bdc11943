// Growable little-endian writer; encoding is total, so nothing here can fail on values in range.

export class ByteWriter {
  private buf: Buffer;
  private len = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }
  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
  get length(): number {
    return this.len;
  }
  u16(v: number): this {
    this.ensure(2);
    this.buf.writeUInt16LE(v >>> 0, this.len);
    this.len += 2;
    return this;
  }
  u32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32LE(v >>> 0, this.len);
    this.len += 4;
    return this;
  }
  u64(v: bigint): this {
    this.ensure(8);
    this.buf.writeBigUInt64LE(BigInt.asUintN(64, v), this.len);
    this.len += 8;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }
  /** Overwrites a u32 already written at `at`. */
  patchU32(at: number, v: number): this {
    this.buf.writeUInt32LE(v >>> 0, at);
    return this;
  }
  toBuffer(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }
}
