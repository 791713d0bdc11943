// Finding-rule tables: each protocol declares its rules once (code, level, the document section it
// cites) and emits findings through its table, like fastify's errors table. This is the shared part.

import type { Finding, FindingLevel, Findings } from './findings';

export interface FindingRuleSpec {
  level: FindingLevel;
  /** Default document section, e.g. `MS-CER2 2.2.1`; some rules cite another one where they fire. */
  specRef: string;
}

/** How one finding departs from its table entry (each use is documented on the entry). */
export interface FindingAt {
  /** Byte offset in the decoded buffer. */
  offset?: number;
  /** Another section of the entry's own document, e.g. `2.2.6.3`. */
  section?: string;
  /** A section of any document, in full, e.g. `MS-TPXS 2.1.1` (schema-driven rules). */
  specRef?: string;
  /** Another level, for the few rules whose level depends on where they fire. */
  level?: FindingLevel;
}

/**
 * The entry builder for one document.
 *
 * @example
 * const r = inDocument('MS-CER2');
 * r('error', '2.2.1') // { level: 'error', specRef: 'MS-CER2 2.2.1' }
 */
export const inDocument =
  (doc: string) =>
  (level: FindingLevel, section: string): FindingRuleSpec => ({ level, specRef: `${doc} ${section}` });

/** The document part of a specRef: `MS-SQMCS 2.2.4.1` → `MS-SQMCS`, `RFC 9110 15.6.3` → `RFC 9110`. */
const documentOf = (specRef: string): string => specRef.slice(0, specRef.lastIndexOf(' '));

/** The level and specRef a finding of this entry carries, after `at`'s overrides. */
export function resolveRule(spec: FindingRuleSpec, at?: FindingAt): FindingRuleSpec {
  const specRef = at?.specRef ?? (at?.section === undefined ? spec.specRef : `${documentOf(spec.specRef)} ${at.section}`);
  return { level: at?.level ?? spec.level, specRef };
}

export interface RuleEmitter<R extends string> {
  /** Adds a finding for `rule` at its table level and section (unless `at` says otherwise). */
  report: (findings: Findings, rule: R, message: string, at?: FindingAt) => void;
  /** The same finding as a value, for code that builds its list itself (route handlers). */
  findingFor: (rule: R, message: string, at?: FindingAt) => Finding;
}

/**
 * The two ways to emit findings of one table; rule codes are checked against the table's keys.
 *
 * @example
 * const { report } = ruleEmitter(CER_RULES);
 * report(f, 'cer.bom', 'UTF-16LE without BOM: …');
 */
export function ruleEmitter<R extends string>(table: Readonly<Record<R, FindingRuleSpec>>): RuleEmitter<R> {
  return {
    report(findings, rule, message, at) {
      const { level, specRef } = resolveRule(table[rule], at);
      findings.add(level, rule, specRef, message, at?.offset);
    },
    findingFor(rule, message, at) {
      const { level, specRef } = resolveRule(table[rule], at);
      const f: Finding = { rule, specRef, message, level };
      if (at?.offset !== undefined) f.offset = at.offset;
      return f;
    },
  };
}
