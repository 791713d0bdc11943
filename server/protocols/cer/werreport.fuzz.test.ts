// Decoding never throws (STYLE.md): 2000 seeded mutations and truncations of the MS-CER2 4.3
// example, as bytes (UTF-16LE) and as characters, all give a value or findings.

import { mulberry32, type Rng } from '../../scenario/rng';
import { decodeWerReport } from './werreport';
import { fixture, utf16le } from '../../../test/helpers/cer-fixtures';

const golden = fixture('werreport-4.3.xml');
const MARKUP = ['<', '>', '/>', '"', "'", '&', '&amp;', '&#0;', '=', ' ', '\r\n', '<!--', '-->', '<![CDATA[', ']]>', '<?', '?>', '<!DOCTYPE x>', '\uFEFF', '\uD800', '<WERREPORT>', '</SIGNATURE>', 'constructor'];

/** One random change: flipped bytes, a cut, an insertion, a lost or doubled slice, or markup put in. */
function mutate(src: Buffer, rnd: Rng): Buffer {
  const at = (n: number): number => Math.floor(rnd() * n);
  const b = Buffer.from(src);
  switch (at(6)) {
    case 0:
      for (let i = 0, n = 1 + at(8); i < n && b.length; i++) b[at(b.length)] = at(256);
      return b;
    case 1:
      return b.subarray(0, at(b.length + 1));
    case 2: {
      const p = at(b.length + 1);
      return Buffer.concat([b.subarray(0, p), Buffer.from(Array.from({ length: 1 + at(16) }, () => at(256))), b.subarray(p)]);
    }
    case 3: {
      const p = at(b.length);
      return Buffer.concat([b.subarray(0, p), b.subarray(p + 1 + at(64))]);
    }
    case 4: {
      const p = at(b.length), q = p + at(200);
      return Buffer.concat([b.subarray(0, q), b.subarray(p, q), b.subarray(q)]);
    }
    default: {
      // Markup at an even offset (a character boundary in UTF-16), so the XML layer is reached.
      const p = at(b.length + 1) & ~1;
      return Buffer.concat([b.subarray(0, p), Buffer.from(MARKUP[at(MARKUP.length)], 'utf16le'), b.subarray(p)]);
    }
  }
}

it('2000 mutations of the 4.3 example never throw and always answer', () => {
  const rnd = mulberry32(0xce2);
  const seen = { value: 0, null: 0, errors: 0 };
  for (let i = 0; i < 2000; i++) {
    // Stack up to three mutations so damage compounds; every fifth case goes as UTF-8 text instead.
    let bytes: Buffer = golden;
    for (let k = 0, n = 1 + Math.floor(rnd() * 3); k < n; k++) bytes = mutate(bytes, rnd);
    if (i % 5 === 4) bytes = Buffer.from(bytes.subarray(2).toString('utf16le'), 'utf8');
    let r: ReturnType<typeof decodeWerReport>;
    try {
      r = decodeWerReport(bytes);
    } catch (e) {
      throw new Error(`mutation ${i} threw ${String(e)}: ${bytes.toString('hex')}`);
    }
    expect(r.value !== null || r.findings.some((f) => f.level === 'error')).toBe(true);
    for (const f of r.findings) expect(f.specRef).toMatch(/^MS-CER2 2\.2\.1(\.\d+)*$/);
    if (r.value) seen.value++;
    else seen.null++;
    if (r.findings.some((f) => f.level === 'error')) seen.errors++;
  }
  // The mutations must reach both outcomes, or the test proves little.
  expect(seen.value).toBeGreaterThan(100);
  expect(seen.null).toBeGreaterThan(100);
});

it('a 4 MiB report of secondary parameters decodes in reasonable time', () => {
  const many = '<SECONDARYPARAMETER name="n" value="v"/>\r\n'.repeat(50_000);
  const body = utf16le(golden.subarray(2).toString('utf16le').replace('</SIGNATURE>', `${many}</SIGNATURE>`));
  const started = Date.now();
  const { value } = decodeWerReport(body);
  expect(value?.secondaryParameters).toHaveLength(50_008);
  expect(Date.now() - started).toBeLessThan(10_000);
});
