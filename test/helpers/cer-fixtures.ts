// Helpers shared by the CER level-1 tests: the repaired MS-CER2 section 4 fixtures (written by
// scripts/make-cer-fixtures.js), byte encoders for every encoding form, and one-place text edits.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWerText } from '../../server/testing/wer-report';
import type { Finding } from '../../server/wire/findings';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'cer');
export const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));

/** The repaired 4.1 example as text (CRLF line ends, declaration encoding="UTF-16"). */
export const text41 = (): string => fixture('werreport-4.1.xml').subarray(2).toString('utf16le');

export const utf16le = (s: string, bom = true): Buffer => encodeWerText(s, { encoding: 'utf-16le', bom });
export const utf16be = (s: string, bom = true): Buffer => encodeWerText(s, { encoding: 'utf-16be', bom });
export const utf8 = (s: string, bom = false): Buffer => encodeWerText(s, { encoding: 'utf-8', bom });

/** Replaces exactly one occurrence, so a table row cannot silently stop breaking anything. */
export function once(text: string, from: string | RegExp, to: string): string {
  const n = typeof from === 'string' ? text.split(from).length - 1 : (text.match(new RegExp(from.source, 'g')) ?? []).length;
  if (n !== 1) throw new Error(`${String(from)} occurs ${n} times`);
  return text.replace(from, to);
}

/** The 4.1 text with one edit, as a Windows client would send it (UTF-16LE with BOM). */
export const edited41 = (from: string | RegExp, to: string): Buffer => utf16le(once(text41(), from, to));

/** Every fixture carries the examples' os form; tables compare what else was found. */
export const EXAMPLE_OS_INFO = 'cer.osstring-form';
export const brief = (findings: readonly Finding[]): [string, string, string][] => findings.filter((f) => f.rule !== EXAMPLE_OS_INFO).map((f) => [f.rule, f.specRef, f.level]);
