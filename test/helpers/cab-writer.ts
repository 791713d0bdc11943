// A minimal cabinet writer for tests: one folder, one file, MSZIP ('CK' + raw deflate per
// 32 KiB block, the previous block as dictionary) or stored. The reader is checked against
// gcab-made fixtures; this writer only feeds e2e tests without needing gcab installed.

import zlib from 'node:zlib';

const BLOCK = 32768;

export function makeCabinet(data: Buffer, opts: { name?: string; compression?: 'mszip' | 'none' } = {}): Buffer {
  const name = Buffer.from((opts.name ?? 'sqmdata') + '\0', 'latin1');
  const mszip = (opts.compression ?? 'mszip') === 'mszip';
  const blocks: Buffer[] = [];
  const count = Math.max(1, Math.ceil(data.length / BLOCK));
  for (let i = 0; i < count; i++) {
    const off = i * BLOCK;
    const chunk = data.subarray(off, off + BLOCK);
    const prev = data.subarray(Math.max(0, off - BLOCK), off);
    const payload = mszip
      ? Buffer.concat([Buffer.from('CK'), zlib.deflateRawSync(chunk, prev.length ? { dictionary: prev } : {})])
      : Buffer.from(chunk);
    const head = Buffer.alloc(8);
    head.writeUInt32LE(0, 0); // csum 0: not computed (allowed by the format)
    head.writeUInt16LE(payload.length, 4);
    head.writeUInt16LE(chunk.length, 6);
    blocks.push(head, payload);
  }
  const headerLen = 36;
  const folderLen = 8;
  const fileLen = 16 + name.length;
  const dataStart = headerLen + folderLen + fileLen;
  const body = Buffer.concat(blocks);
  const out = Buffer.alloc(dataStart);
  out.write('MSCF', 0, 'latin1');
  out.writeUInt32LE(dataStart + body.length, 8); // cbCabinet
  out.writeUInt32LE(headerLen + folderLen, 16); // coffFiles
  out[24] = 3; // versionMinor
  out[25] = 1; // versionMajor
  out.writeUInt16LE(1, 26); // cFolders
  out.writeUInt16LE(1, 28); // cFiles
  out.writeUInt32LE(dataStart, 36); // CFFOLDER.coffCabStart
  out.writeUInt16LE(blocks.length / 2, 40); // cCFData
  out.writeUInt16LE(mszip ? 1 : 0, 42); // typeCompress
  out.writeUInt32LE(data.length, 44); // CFFILE.cbFile
  out.writeUInt32LE(0, 48); // uoffFolderStart
  out.writeUInt16LE(0, 52); // iFolder
  out.writeUInt16LE(0x5821, 54); // date
  out.writeUInt16LE(0, 56); // time
  out.writeUInt16LE(0x20, 58); // attribs: archive
  name.copy(out, 60);
  return Buffer.concat([out, body]);
}
