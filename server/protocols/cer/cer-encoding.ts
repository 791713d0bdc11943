// Turns a level-1 body into text (MS-CER2 2.2.1: "a Unicode XML document"): finds the encoding
// from the BOM or, without one, from where the zero bytes of ASCII text fall (XML 1.0 appendix F),
// decodes strictly, and compares the XML declaration's encoding= with the bytes. Pure.

import type { Findings } from '../../wire/findings';
import { report } from './rules';
import type { WerEncoding } from './types';

/** How many bytes the no-BOM sniffing looks at: the declaration and root tag are ASCII. */
const SNIFF_BYTES = 512;

export interface DecodedText {
  text: string;
  encoding: WerEncoding;
  bom: boolean;
}

interface Detected {
  encoding: WerEncoding;
  bom: boolean;
  start: number;
}

/** The BOM if there is one; otherwise zero bytes mostly at odd positions = UTF-16LE, at even = UTF-16BE. */
export function detectEncoding(body: Buffer): Detected {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return { encoding: 'utf-8', bom: true, start: 3 };
  if (body[0] === 0xff && body[1] === 0xfe) return { encoding: 'utf-16le', bom: true, start: 2 };
  if (body[0] === 0xfe && body[1] === 0xff) return { encoding: 'utf-16be', bom: true, start: 2 };
  const n = Math.min(body.length, SNIFF_BYTES) & ~1;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i++) {
    if (body[i] !== 0) continue;
    if (i % 2 === 0) even++;
    else odd++;
  }
  // A UTF-8 document has no zero bytes; in UTF-16 the high bytes of ASCII characters are zero, and
  // the first character ("<" or white space in any XML document) is always ASCII.
  if (odd > even && body[1] === 0) return { encoding: 'utf-16le', bom: false, start: 0 };
  if (even > odd && body[0] === 0) return { encoding: 'utf-16be', bom: false, start: 0 };
  return { encoding: 'utf-8', bom: false, start: 0 };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function decodeUtf16(bytes: Buffer, bigEndian: boolean): string {
  const le = bigEndian ? Buffer.from(bytes).swap16() : bytes;
  return le.toString('utf16le');
}

/**
 * Decodes the body, or returns null after an error finding (`cer.empty`, `cer.encoding`, `cer.xml`).
 * `lenientText` is the text read leniently even when the strict decoding failed, so the caller
 * can still look for a DOCTYPE in it.
 */
export function decodeCerText(body: Buffer, f: Findings): { decoded: DecodedText | null; lenientText: string } {
  const d = detectEncoding(body);
  const content = body.subarray(d.start);
  if (content.length === 0) {
    report(f, 'cer.empty', body.length === 0 ? 'the body is empty; expected a WERREPORT XML document' : 'the body holds only a byte order mark; expected a WERREPORT XML document');
    return { decoded: null, lenientText: '' };
  }
  if (d.encoding === 'utf-8') return decodeUtf8(content, d, f);
  const even = content.subarray(0, content.length & ~1);
  const text = decodeUtf16(even, d.encoding === 'utf-16be');
  if (content.length % 2 === 1) {
    report(f, 'cer.encoding', `${label(d)}: expected an even number of bytes, got ${body.length} (a stray byte at the end)`, { offset: body.length - 1 });
    return { decoded: null, lenientText: text };
  }
  const lone = LONE_SURROGATE.exec(text);
  if (lone) {
    const hex = lone[0].charCodeAt(0).toString(16).toUpperCase();
    report(f, 'cer.xml', `${label(d)}: expected paired surrogates, got a lone U+${hex} (not decodable)`, { offset: d.start + 2 * lone.index });
    return { decoded: null, lenientText: text };
  }
  if (!d.bom) report(f, 'cer.bom', `${label(d)}: a UTF-16 document must begin with a byte order mark (XML 1.0 4.3.3); got none (read by where its zero bytes fall)`);
  checkDeclaration(text, d, f);
  return { decoded: { text, encoding: d.encoding, bom: d.bom }, lenientText: text };
}

function decodeUtf8(content: Buffer, d: Detected, f: Findings): { decoded: DecodedText | null; lenientText: string } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(content);
  } catch {
    report(f, 'cer.xml', `${label(d)}: expected UTF-16 (or valid UTF-8), got bytes that are not valid UTF-8`);
    return { decoded: null, lenientText: content.toString('utf8') };
  }
  report(f, 'cer.encoding', `${label(d)}: the document says a Unicode XML document and Windows sends UTF-16LE with a BOM; UTF-8 accepted`, { level: 'info' });
  checkDeclaration(text, d, f);
  return { decoded: { text, encoding: d.encoding, bom: d.bom }, lenientText: text };
}

const DECLARED = /^<\?xml\s[^>]*?\bencoding\s*=\s*(["'])([^"']*)\1/;
const AGREES: Record<WerEncoding, string[]> = {
  'utf-8': ['utf-8'],
  'utf-16le': ['utf-16', 'utf-16le', 'iso-10646-ucs-2'],
  'utf-16be': ['utf-16', 'utf-16be', 'iso-10646-ucs-2'],
};

/** XML 1.0 4.3.3: the declaration names the encoding; the bytes win, a disagreement is reported. */
function checkDeclaration(text: string, d: Detected, f: Findings): void {
  const m = DECLARED.exec(text);
  if (!m) return;
  const declared = m[2];
  if (AGREES[d.encoding].includes(declared.toLowerCase())) return;
  // The declaration is what is wrong (the bytes win): expected and got are both about it.
  report(
    f,
    'cer.encoding-declaration',
    `the XML declaration does not match the body, which is ${label(d)}: expected encoding="${AGREES[d.encoding][0].toUpperCase()}" or no encoding=, got encoding="${declared}" (read as ${d.encoding.toUpperCase()})`,
  );
}

const label = (d: Detected): string => `${d.encoding.toUpperCase()} ${d.bom ? 'with' : 'without'} BOM`;
