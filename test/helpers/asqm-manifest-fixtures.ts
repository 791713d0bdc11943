// Helpers shared by the A-SQM manifest tests: the YAML fixtures, a compact form of findings for tables,
// a seeded PRNG, byte patching that keeps the download checksum right, and a small valid package.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { sqmChecksum } from '../../server/wire/checksum';
import type { Finding } from '../../server/wire/findings';
import { manifestFromSpec } from '../../server/protocols/asqm-manifest/authoring';
import { encodeManifestPackage } from '../../server/protocols/asqm-manifest/codec';
import type { AsqmManifestPackage } from '../../server/protocols/asqm-manifest/types';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'asqm-manifest');
export const FIXTURE_NAMES = ['two-rules.yaml', 'property-sets.yaml', 'explicit-bits.yaml'] as const;

export const fixtureText = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
export const fixtureData = (name: string): unknown => YAML.parse(fixtureText(name));

/** `rule@section` for each finding, sorted: what the tables compare (never the message text). */
export const ruleKeys = (findings: readonly Finding[]): string[] => findings.map((f) => `${f.rule}@${f.specRef.replace(/^MS-SQMCS /, '')}`).sort();

/** The project's seeded PRNG (scenario/rng.ts), re-exported for the tests. */
export { mulberry32 } from '../../server/scenario/rng';

/** Rewrites the download header's Checksum (note <5>) after the manifest bytes were patched. */
export function fixChecksum(buf: Buffer): Buffer {
  const b = Buffer.from(buf);
  b.writeUInt32LE(sqmChecksum(b.subarray(16)), 8);
  return b;
}

/** Writes u32 values at offsets, then fixes the checksum (unless the checksum itself is the target). */
export function patch(buf: Buffer, edits: Array<[offset: number, value: number]>, keepChecksum = false): Buffer {
  const b = Buffer.from(buf);
  for (const [at, v] of edits) b.writeUInt32LE(v >>> 0, at);
  return keepChecksum ? b : fixChecksum(b);
}

/**
 * One rule (id 1, callback) with one AND clause `dwordEquals 6 = 7601`: 236 bytes. Offsets: download
 * header 0, manifest header 16 (Length 24, SectionCount 28, PartnerName 40), section header 168
 * (SectionLength, SectionType 172), rule 176 (RuleEvaluationFlag 184, RuleType 188, RuleAction 196),
 * clause 208 (EvaluationFlag 212, operator 224, group 228, operand 232).
 */
export function oneRule(): AsqmManifestPackage {
  return manifestFromSpec(
    {
      version: 7,
      expires: '2030-01-01T00:00:00Z',
      rules: [{ id: 1, type: 'callback', action: 'callback', clauses: [{ group: 'and', data: 6, op: 'dwordEquals', value: 7601 }] }],
    },
    'windows',
  );
}

/** One property set `s` with one property `k: v`. */
export function oneSet(): AsqmManifestPackage {
  return manifestFromSpec({ version: 7, propertySets: [{ name: 's', properties: { k: 'v' } }] }, 'windows');
}

export const bytesOf = (pkg: AsqmManifestPackage): Buffer => encodeManifestPackage(pkg);
