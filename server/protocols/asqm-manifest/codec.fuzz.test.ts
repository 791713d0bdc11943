// Decoding never throws (STYLE.md): 2000 seeded mutations of the fixture packages all decode to a value
// or findings, whatever decodes re-encodes to the same bytes, and its YAML form can always be written.

import { decodeManifestPackage, encodeManifestPackage } from './codec';
import { manifestFromYaml } from './authoring';
import { manifestToYaml } from './to-yaml';
import { FIXTURE_NAMES, bytesOf, fixChecksum, fixtureText, mulberry32, oneRule, oneSet } from '../../../test/helpers/asqm-manifest-fixtures';

const seeds = [...FIXTURE_NAMES.map((n) => encodeManifestPackage(manifestFromYaml(fixtureText(n), { source: n }))), bytesOf(oneRule()), bytesOf(oneSet())];
const BOUNDARY = [0, 1, 7, 8, 12, 24, 32, 0x98, 0x7fffffff, 0x80000000, 0xffffffff];

/** One random change: flipped bytes, a boundary or random u32, a cut, an insertion or a lost slice. */
function mutate(src: Buffer, rnd: () => number): Buffer {
  const at = (n: number): number => Math.floor(rnd() * n);
  const b = Buffer.from(src);
  switch (at(5)) {
    case 0:
      for (let i = 0, n = 1 + at(8); i < n; i++) b[at(b.length)] = at(256);
      return b;
    case 1: {
      if (b.length < 4) return b;
      const v = rnd() < 0.5 ? BOUNDARY[at(BOUNDARY.length)] : at(0x100000000);
      // Aligned writes hit length and count fields far more often.
      const pos = rnd() < 0.7 ? at(Math.floor(b.length / 4)) * 4 : at(b.length - 3);
      b.writeUInt32LE(v >>> 0, pos);
      return b;
    }
    case 2:
      return b.subarray(0, at(b.length + 1));
    case 3: {
      const p = at(b.length + 1);
      return Buffer.concat([b.subarray(0, p), Buffer.from(Array.from({ length: 1 + at(16) }, () => at(256))), b.subarray(p)]);
    }
    default: {
      const p = at(b.length);
      return Buffer.concat([b.subarray(0, p), b.subarray(p + 1 + at(32))]);
    }
  }
}

it('2000 mutations never throw, and always round-trip', () => {
  const rnd = mulberry32(0xa5a1);
  let decoded = 0;
  let flagged = 0;
  for (let i = 0; i < 2000; i++) {
    let bytes = seeds[i % seeds.length];
    for (let k = 0, n = 1 + Math.floor(rnd() * 3); k < n; k++) bytes = mutate(bytes, rnd);
    // Half keep a valid checksum, so the damage reaches the section decoders with nothing else to say.
    if (i % 2 === 0 && bytes.length >= 16) bytes = fixChecksum(bytes);
    const r = decodeManifestPackage(bytes);
    expect(r.value !== null || r.findings.length > 0).toBe(true);
    if (r.value !== null) {
      decoded++;
      const out = encodeManifestPackage(r.value);
      if (!out.equals(bytes)) throw new Error(`mutation ${i} did not round-trip: ${bytes.toString('hex')}`);
      encodeManifestPackage(r.value, { recompute: true });
      expect(typeof manifestToYaml(r.value)).toBe('string');
    }
    if (r.findings.some((f) => f.level === 'error')) flagged++;
  }
  expect(decoded).toBeGreaterThan(1500);
  expect(flagged).toBeGreaterThan(1000);
});

it('random bytes behind a valid download header and signature never throw', () => {
  const rnd = mulberry32(11);
  for (let i = 0; i < 500; i++) {
    const bytes = Buffer.from(Array.from({ length: Math.floor(rnd() * 600) }, () => Math.floor(rnd() * 256)));
    if (bytes.length >= 20) bytes.writeUInt32LE(0x414d5153, 16);
    const r = decodeManifestPackage(bytes);
    if (r.value !== null) expect(encodeManifestPackage(r.value).equals(bytes)).toBe(true);
  }
});
