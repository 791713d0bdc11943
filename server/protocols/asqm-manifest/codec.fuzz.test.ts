// Decoding never throws (STYLE.md): 2000 seeded mutations of the fixture packages all decode to a value
// or findings, whatever decodes re-encodes to the same bytes, and its YAML form can always be written.

import { decodeManifestPackage, encodeManifestPackage } from './codec';
import { manifestFromYaml } from './authoring';
import { manifestToYaml } from './to-yaml';
import type { AsqmManifestPackage } from './types';
import { FIXTURE_NAMES, bytesOf, fixChecksum, fixtureText, oneRule, oneSet } from '../../../test/helpers/asqm-manifest-fixtures';
import { fuzzDecoder, mutators, randomInputs } from '../../../test/helpers/fuzz';

const seeds = [...FIXTURE_NAMES.map((n) => encodeManifestPackage(manifestFromYaml(fixtureText(n), { source: n }))), bytesOf(oneRule()), bytesOf(oneSet())];
const BOUNDARY = [0, 1, 7, 8, 12, 24, 32, 0x98, 0x7fffffff, 0x80000000, 0xffffffff];
/** Flipped bytes, a boundary or random u32 (aligned writes hit length and count fields far more often), a cut, an insertion or a lost slice. */
const MUTATORS = [mutators.flip(), mutators.u32(BOUNDARY, 0.7), mutators.truncate(), mutators.insert(16), mutators.remove(32)];

function roundTrips(value: AsqmManifestPackage, bytes: Buffer): void {
  if (!encodeManifestPackage(value).equals(bytes)) throw new Error('did not round-trip');
}

it('2000 mutations never throw, and always round-trip', () => {
  const stats = fuzzDecoder({
    seed: 0xa5a1,
    runs: 2000,
    inputs: seeds,
    mutators: MUTATORS,
    // Half keep a valid checksum, so the damage reaches the section decoders with nothing else to say.
    prepare: (bytes, i) => (i % 2 === 0 && bytes.length >= 16 ? fixChecksum(bytes) : bytes),
    decode: (bytes) => decodeManifestPackage(bytes),
    check: (value, bytes) => {
      roundTrips(value, bytes);
      encodeManifestPackage(value, { recompute: true });
      if (typeof manifestToYaml(value) !== 'string') throw new Error('no YAML form');
    },
  });
  expect(stats.decoded).toBeGreaterThan(1500);
  expect(stats.flagged).toBeGreaterThan(1000);
});

it('random bytes behind a valid download header and signature never throw', () => {
  fuzzDecoder({
    seed: 11,
    runs: 500,
    stack: 0,
    inputs: randomInputs(600, (b) => b.length >= 20 && b.writeUInt32LE(0x414d5153, 16)),
    decode: (bytes) => decodeManifestPackage(bytes),
    check: roundTrips,
  });
});
