// Writes Microsoft Cabinets ([MS-CAB] CFHEADER, CFFOLDER, CFFILE, CFDATA): one folder, one or many
// files, MSZIP ('CK' + raw deflate per 32 KiB block) or stored. The test builders and the relay (a
// recompressed v2 payload) use it; the reader beside it checks it. CFDATA csum is 0 ("not computed", allowed by MS-CAB).

import zlib from 'node:zlib';
import { ByteWriter } from '../wire/writer';

/** MS-CAB MSZIP: a CFDATA block holds at most 32 KiB of uncompressed data. */
const BLOCK = 32768;
const CFHEADER = 36;
const CFFOLDER = 8;
/** CFFILE attribs: archive; 0x80 says szName is UTF-8. */
const ATTRIB_ARCHIVE = 0x20;
const ATTRIB_NAME_IS_UTF = 0x80;

export interface CabinetFile {
  name: string;
  data: Uint8Array;
  /** CFFILE attribs; default 0x20 (archive), plus 0x80 (UTF-8 name) when the name is not Latin-1. */
  attribs?: number;
  /** MS-DOS date and time as stored; default 0x5821 (2024-01-01) and 0. */
  date?: number;
  time?: number;
}

export interface BuildCabinetOptions {
  /** CFFOLDER typeCompress: 'mszip' (1, the default) or 'none' (0, stored). */
  compression?: 'mszip' | 'none';
  /** The file's name when `content` is one buffer (default `sqmdata`). */
  name?: string;
}

/** CFDATA blocks of the folder: 32 KiB each, MSZIP with the previous block as the dictionary. */
function dataBlocks(data: Buffer, mszip: boolean): Buffer[] {
  const blocks: Buffer[] = [];
  const count = Math.max(1, Math.ceil(data.length / BLOCK));
  for (let i = 0; i < count; i++) {
    const off = i * BLOCK;
    const chunk = data.subarray(off, off + BLOCK);
    const prev = data.subarray(Math.max(0, off - BLOCK), off);
    const payload = mszip ? Buffer.concat([Buffer.from('CK'), zlib.deflateRawSync(chunk, prev.length ? { dictionary: prev } : {})]) : Buffer.from(chunk);
    // csum 0 (not computed), cbData, cbUncomp, ab.
    blocks.push(new ByteWriter(8 + payload.length).u32(0).u16(payload.length).u16(chunk.length).bytes(payload).toBuffer());
  }
  return blocks;
}

/** CFFILE entries, the files laid end to end in folder 0. */
function fileEntries(files: readonly CabinetFile[]): Buffer {
  const w = new ByteWriter();
  let offset = 0;
  for (const f of files) {
    // eslint-disable-next-line no-control-regex -- the Latin-1 range, NUL included
    const utf = /[^\u0000-\u00ff]/.test(f.name);
    const attribs = f.attribs ?? ATTRIB_ARCHIVE | (utf ? ATTRIB_NAME_IS_UTF : 0);
    const name = Buffer.from(f.name + '\0', attribs & ATTRIB_NAME_IS_UTF ? 'utf8' : 'latin1');
    w.u32(f.data.length)
      .u32(offset)
      .u16(0)
      .u16(f.date ?? 0x5821)
      .u16(f.time ?? 0)
      .u16(attribs)
      .bytes(name);
    offset += f.data.length;
  }
  return w.toBuffer();
}

/**
 * Builds a one-folder cabinet holding `content`: one buffer (named `options.name`, default
 * `sqmdata`) or a list of files, MSZIP-compressed unless `compression: 'none'`.
 * @example
 * const cab = buildCabinet([{ name: 'report.xml', data: xml }, { name: 'memory.dmp', data: dump }]);
 * const body = buildSqmSession({ sections, compress: (raw) => buildCabinet(raw) });
 */
export function buildCabinet(content: Uint8Array | readonly CabinetFile[], options: BuildCabinetOptions = {}): Buffer {
  const files: readonly CabinetFile[] = content instanceof Uint8Array ? [{ name: options.name ?? 'sqmdata', data: content }] : content;
  const mszip = (options.compression ?? 'mszip') === 'mszip';
  const blocks = dataBlocks(Buffer.concat(files.map((f) => f.data)), mszip);
  const entries = fileEntries(files);
  const dataStart = CFHEADER + CFFOLDER + entries.length;
  const body = Buffer.concat(blocks);
  const w = new ByteWriter(dataStart + body.length);
  // CFHEADER: signature, reserved1, cbCabinet, reserved2, coffFiles, reserved3, version 1.3,
  // cFolders, cFiles, flags, setID, iCabinet.
  w.bytes(Buffer.from('MSCF', 'latin1'))
    .u32(0)
    .u32(dataStart + body.length)
    .u32(0)
    .u32(CFHEADER + CFFOLDER)
    .u32(0);
  w.u16(0x0103).u16(1).u16(files.length).u16(0).u16(0).u16(0);
  // CFFOLDER: coffCabStart, cCFData, typeCompress.
  w.u32(dataStart)
    .u16(blocks.length)
    .u16(mszip ? 1 : 0);
  return w.bytes(entries).bytes(body).toBuffer();
}
