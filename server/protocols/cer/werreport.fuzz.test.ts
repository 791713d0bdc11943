// Decoding never throws (STYLE.md): 2000 seeded mutations and truncations of the MS-CER2 4.3
// example, as bytes (UTF-16LE) and as characters, all give a value or findings.

import { decodeWerReport } from './werreport';
import { fixture, utf16le } from '../../../test/helpers/cer-fixtures';
import { fuzzDecoder, mutators } from '../../../test/helpers/fuzz';

const golden = fixture('werreport-4.3.xml');
const MARKUP = [
  '<',
  '>',
  '/>',
  '"',
  "'",
  '&',
  '&amp;',
  '&#0;',
  '=',
  ' ',
  '\r\n',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  '<?',
  '?>',
  '<!DOCTYPE x>',
  '\uFEFF',
  '\uD800',
  '<WERREPORT>',
  '</SIGNATURE>',
  'constructor',
];
/**
 * Flipped bytes, a cut, an insertion, a lost or doubled slice, or markup put in at an even offset
 * (a character boundary in UTF-16), so the XML layer is reached.
 */
const MUTATORS = [
  mutators.flip(),
  mutators.truncate(),
  mutators.insert(16),
  mutators.remove(64),
  mutators.duplicate(200),
  mutators.splice(
    MARKUP.map((m) => Buffer.from(m, 'utf16le')),
    2,
  ),
];

it('2000 mutations of the 4.3 example never throw and always answer', () => {
  const stats = fuzzDecoder({
    seed: 0xce2,
    runs: 2000,
    inputs: [golden],
    mutators: MUTATORS,
    // Every fifth case goes as UTF-8 text instead.
    prepare: (bytes, i) => (i % 5 === 4 ? Buffer.from(bytes.subarray(2).toString('utf16le'), 'utf8') : bytes),
    decode: (bytes) => decodeWerReport(bytes),
    specRef: /^MS-CER2 2\.2\.1(\.\d+)*$/,
  });
  // The mutations must reach both outcomes, or the test proves little.
  expect(stats.decoded).toBeGreaterThan(100);
  expect(stats.rejected).toBeGreaterThan(100);
});

it('a 4 MiB report of secondary parameters decodes in reasonable time', () => {
  const many = '<SECONDARYPARAMETER name="n" value="v"/>\r\n'.repeat(50_000);
  const body = utf16le(golden.subarray(2).toString('utf16le').replace('</SIGNATURE>', `${many}</SIGNATURE>`));
  const started = Date.now();
  const { value } = decodeWerReport(body);
  expect(value?.secondaryParameters).toHaveLength(50_008);
  expect(Date.now() - started).toBeLessThan(10_000);
});
