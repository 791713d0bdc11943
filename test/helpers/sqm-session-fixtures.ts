// Helpers shared by the SQM v1 codec tests: the MS-SQMCS 4.1 golden vector, the hex fixture
// format, a compact form of findings for tables, a seeded PRNG and a stand-in cabinet.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../server/wire/findings';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'sqm-v1');

/** Parses the `.hex` fixture format: `#` comments, then `OFFSET  XX XX …` rows checked for continuity. */
export function parseHexFixture(text: string): Buffer {
  const bytes: number[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [offset, ...cells] = line.trim().split(/\s+/);
    if (parseInt(offset, 16) !== bytes.length) throw new Error(`row ${offset} out of sequence at byte ${bytes.length}`);
    for (const c of cells) bytes.push(parseInt(c, 16));
  }
  return Buffer.from(bytes);
}

/** The MS-SQMCS 4.1 capture (Windows 7 SP1), 1078 bytes. */
export const loadGolden = (): Buffer => readFileSync(join(FIXTURES, 'win7-sp1-capture.bin'));

/** `rule@section` for each finding, sorted: what the tables compare (never the message text). */
export const ruleKeys = (findings: readonly Finding[]): string[] => findings.map((f) => `${f.rule}@${f.specRef.replace(/^MS-SQMCS /, '')}`).sort();

/** The project's seeded PRNG (scenario/rng.ts), re-exported for the tests. */
export { mulberry32 } from '../../server/scenario/rng';

/** A stand-in "cabinet": a 4-byte tag and the data as is. The real reader lives in server/cab. */
export const fakeCompress = (raw: Buffer): Buffer => Buffer.concat([Buffer.from('FAKE'), raw]);

/** Undoes fakeCompress, refusing (like a real reader) to produce more than maxBytes. */
export function fakeDecompress(data: Buffer, maxBytes: number): { value: Buffer | null; findings: Finding[] } {
  const out = data.subarray(4);
  if (out.length <= maxBytes) return { value: Buffer.from(out), findings: [] };
  return { value: null, findings: [{ rule: 'fake.too-big', specRef: 'test', level: 'error', message: `${out.length} > ${maxBytes}` }] };
}
