// The level-1 server answer of Corporate Error Reporting v2 (MS-CER2 2.2.2): `Key=Value` CRLF lines
// in code page 1252. The mock writes what the scenario asks; what breaks the ABNF becomes a warning.

import iconv from 'iconv-lite';
import { Findings, type Finding } from '../../wire/findings';
import { report } from './rules';
import { type AnswerKey, type AnswerShape, type CerInstructions } from './types';

export const CONTENT_TYPE = 'text/plain; charset=windows-1252';

/** Text in windows-1252, the charset of every CER answer (characters it lacks become `?`). */
export const encodeWindows1252 = (text: string): Buffer => iconv.encode(text, 'win1252');

type Kind = 'response' | 'bucket' | 'zero-one' | 'list' | 'path';
type Field = Exclude<keyof CerInstructions, 'extra'>;

/** MS-CER2 2.2.2 StatusRule: each key (ANSWER_KEYS, the ABNF's order), its instruction and value kind. */
const FIELDS: ReadonlyArray<{ key: AnswerKey; field: Field; kind: Kind }> = [
  { key: 'Response', field: 'response', kind: 'response' },
  { key: 'Bucket', field: 'bucket', kind: 'bucket' },
  { key: 'BucketTable', field: 'bucketTable', kind: 'bucket' },
  { key: 'iData', field: 'iData', kind: 'zero-one' },
  { key: 'MemoryDump', field: 'memoryDump', kind: 'zero-one' },
  { key: 'RegKey', field: 'regKey', kind: 'list' },
  { key: 'fDoc', field: 'fDoc', kind: 'zero-one' },
  { key: 'WQL', field: 'wql', kind: 'list' },
  { key: 'GetFile', field: 'getFile', kind: 'list' },
  { key: 'GetFileVersion', field: 'getFileVersion', kind: 'list' },
  { key: 'DumpFile', field: 'dumpFile', kind: 'path' },
  { key: 'RegTree', field: 'regTree', kind: 'list' },
];

/** The instruction a document key carries (`DumpFile` → `dumpFile`). */
export const fieldOf = (key: AnswerKey): Field => FIELDS.find((f) => f.key === key)!.field;

/** Code points windows-1252 can carry: iconv-lite's table (its five holes decode to U+FFFD). */
const WIN1252 = ((): ReadonlySet<number> => {
  const all = iconv.decode(Buffer.from(Array.from({ length: 256 }, (_, i) => i)), 'win1252');
  const set = new Set<number>();
  for (const ch of all) if (ch !== '\uFFFD') set.add(ch.codePointAt(0)!);
  return set;
})();

const CRLF_RE = /[\r\n]/;
const noCrLf = (s: string): string => s.replace(/\r\n|[\r\n]/g, ' ');

/**
 * RFC 3986 absolute URI (scheme ":" hier-part [ "?" query ] [ "#" fragment ]), checked by
 * character class: only URI characters, well-formed %HH, at most one "#".
 */
export function isAbsoluteUri(s: string): boolean {
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:(.*)$/s.exec(s);
  if (!m) return false;
  const rest = m[1];
  if (!/^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9A-Fa-f]{2})*$/.test(rest)) return false;
  return (rest.match(/#/g) ?? []).length <= 1;
}

function checkList(key: string, items: readonly string[], f: Findings): string {
  // MS-CER2 2.2.2: RegKeyList = RegKey / RegKey ";" RegKeyList, RegKey = 1*CHAR (likewise WQL, GetFile).
  if (items.length === 0) report(f, 'cer.answer-list-item', `${key}: empty list, expected at least one item`);
  return items
    .map((item, n) => {
      if (item === '') report(f, 'cer.answer-list-item', `${key}: item ${n} is empty, expected 1*CHAR`);
      if (item.includes(';')) report(f, 'cer.answer-list-item', `${key}: item ${n} contains ';' and will be read as several items`);
      if (CRLF_RE.test(item)) report(f, 'cer.answer-list-item', `${key}: item ${n} contains CR/LF, sent as a space`);
      return noCrLf(item);
    })
    .join(';');
}

function valueOf(key: string, kind: Kind, v: unknown, f: Findings): string {
  switch (kind) {
    case 'response': {
      const s = String(v);
      // MS-CER2 2.2.2: Response = "Response=" [ResponseValue] CRLF, ResponseValue = "1" / Url: empty is allowed (4.2).
      if (s !== '' && s !== '1' && !isAbsoluteUri(s)) report(f, 'cer.answer-response', `Response: expected "1" or an absolute URL (RFC 3986), got ${JSON.stringify(s)}`);
      return noCrLf(s);
    }
    case 'bucket': {
      const s = String(v);
      // MS-CER2 2.2.2: BucketID = "Bucket=" (%x31-39) 1*DIGIT CRLF, so at least 10; but its prose says
      // "a positive decimal integer" and its 4.x examples send "BucketTable = 5", as real servers did.
      if (/^[1-9]$/.test(s))
        report(f, 'cer.answer-bucket-digit', `${key}: ${s} is one digit; the ABNF asks for a non-zero digit then 1*DIGIT (>= 10), the 4.x examples send BucketTable = 5`);
      else if (!/^[1-9][0-9]+$/.test(s)) report(f, 'cer.answer-bucket', `${key}: expected a positive decimal integer, got ${JSON.stringify(s)}`);
      return noCrLf(s);
    }
    case 'zero-one': {
      const s = String(v);
      if (s !== '0' && s !== '1') report(f, 'cer.answer-zero-one', `${key}: expected "0" or "1", got ${JSON.stringify(s)}`);
      return noCrLf(s);
    }
    case 'list':
      return checkList(key, Array.isArray(v) ? v.map(String) : [String(v)], f);
    case 'path': {
      const s = String(v);
      // MS-CER2 2.2.2: Path = 1*CHAR; a CR/LF would end the line and start another key.
      if (s === '') report(f, 'cer.answer-dump-file', 'DumpFile: empty, expected 1*CHAR');
      if (CRLF_RE.test(s)) report(f, 'cer.answer-dump-file', 'DumpFile: contains CR/LF, sent as a space');
      return noCrLf(s);
    }
  }
}

/** Replaces what windows-1252 cannot carry by "?", one info finding per replaced character. */
function to1252(key: string, value: string, offset: number, f: Findings): string {
  let out = '';
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if (WIN1252.has(cp)) {
      out += ch;
    } else {
      const u = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
      report(f, 'cer.answer-encoding', `${key}: ${u} is not in windows-1252, sent as '?'`, { offset: offset + out.length });
      out += '?';
    }
  }
  return out;
}

/** An extra key as given: a CR or LF (in the key or the value) or "=" in the key would change the lines a client reads. */
function extraLine(key: string, value: string, f: Findings): [string, string] {
  if (CRLF_RE.test(key) || key.includes('=') || key === '') report(f, 'cer.answer-extra', `extra key ${JSON.stringify(key)}: expected 1*CHAR without "=" or CR/LF`);
  if (CRLF_RE.test(value)) report(f, 'cer.answer-extra', `${key}: contains CR/LF, sent as a space`);
  return [noCrLf(key), noCrLf(value)];
}

/** The lines in the order asked: the listed keys first, then the document's in its order, then the extra ones. */
function ordered<T extends { key: string }>(lines: T[], order: readonly string[] = []): T[] {
  const listed = order.flatMap((k) => lines.filter((l) => l.key === k));
  return [...listed, ...lines.filter((l) => !order.includes(l.key))];
}

/**
 * Builds a level-1 answer body (MS-CER2 2.2.2) from the scenario's instructions, in the form the
 * shape asks (`omit`, `order`, `spacedEquals`; INTERFACE.md). By default keys are written in the
 * ABNF's order (its prose: "the elements can be in any order"), only those given, `Key=Value`;
 * lists are joined by ";"; `extra` keys follow the document's. A spaced empty value is written
 * `Key =` as the 4.2 example prints `Response =`. The body is what the scenario asked, even when
 * it breaks the ABNF (the findings say how).
 *
 * @example
 * const { body } = buildLevel1Answer({ bucket: 100, bucketTable: 10, iData: 1, dumpFile: '\\PersistedCabs\\x.cab' });
 * // body: "Bucket=100\r\nBucketTable=10\r\niData=1\r\nDumpFile=\PersistedCabs\x.cab\r\n" in windows-1252
 * buildLevel1Answer({ bucket: 500, bucketTable: 5, iData: 0 }, { order: ['iData'], spacedEquals: ['Bucket'] }).text;
 * // "iData=0\r\nBucket = 500\r\nBucketTable=5\r\n"
 */
export function buildLevel1Answer(i: CerInstructions, shape: AnswerShape = {}): { body: Buffer; text: string; findings: Finding[] } {
  const f = new Findings();
  const omit = new Set(shape.omit ?? []);
  const lines: { key: string; value: string }[] = [];
  for (const { key, field, kind } of FIELDS) {
    const v = i[field];
    if (v !== undefined && v !== null && !omit.has(key)) lines.push({ key, value: valueOf(key, kind, v, f) });
  }
  for (const [k, v] of Object.entries(i.extra ?? {})) {
    if (omit.has(k)) continue;
    const [key, value] = extraLine(k, String(v), f);
    lines.push({ key, value });
  }
  const spaced = shape.spacedEquals;
  let text = '';
  for (const { key, value } of ordered(lines, shape.order)) {
    const eq = spaced === true || (Array.isArray(spaced) && spaced.includes(key)) ? (value === '' ? ' =' : ' = ') : '=';
    const head = key + eq;
    text += head + to1252(key, value, text.length + head.length, f) + '\r\n';
  }
  return { body: iconv.encode(text, 'win1252'), text, findings: f.list };
}

/**
 * Reads a level-1 answer into key → value. Tolerant, as a robust client is: LF or CRLF,
 * spaces/tabs around "=" (the document's `Bucket = 500`), blank lines and lines without "="
 * skipped; keys kept case-sensitive; a repeated key keeps its last value. Keys and values lose
 * leading and trailing spaces/tabs (so a value's own edge spaces do not round-trip).
 */
export function parseLevel1Answer(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const line of text.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).replace(/^[ \t]+|[ \t]+$/g, '');
    if (key === '') continue;
    out[key] = line.slice(eq + 1).replace(/^[ \t]+|[ \t]+$/g, '');
  }
  return out;
}
