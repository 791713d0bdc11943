// The level-1 WERREPORT schema (MS-CER2 2.2.1.2 simple types, 2.2.1.3 elements) written out as
// data: the XSD figures are partly lost in the text (WERREPORT's and SIGNATURE's content models
// are only described in prose), so this plays the XSD's part. Element names are case-sensitive.

import type { FindingLevel } from '../../wire/findings';
import { CER_RULES, type CerRule } from './rules';

export type SimpleType = 'string' | 'maxpathstring' | 'osstring' | 'lcidvalue' | 'reporttypevalues' | 'filetypevalues' | 'string32' | 'parameterid' | 'unsignedLong';

export interface AttrSpec {
  type: SimpleType;
  required: boolean;
}

export interface ElementSpec {
  name: string;
  /** The section that defines the element (its findings cite it). */
  specRef: string;
  /** minOccurs 1. */
  required: boolean;
  /** maxOccurs (Infinity = unbounded). */
  max: number;
  /** Rule when there are more than `max` (default cer.repeated-element). */
  tooManyRule?: CerRule;
  attrs: Readonly<Record<string, AttrSpec>>;
  children: readonly ElementSpec[];
}

const req = (type: SimpleType): AttrSpec => ({ type, required: true });
const opt = (type: SimpleType): AttrSpec => ({ type, required: false });
const S = 'MS-CER2 ';

const PARAMETER: ElementSpec = {
  name: 'PARAMETER',
  specRef: S + '2.2.1.3.6.1',
  required: false,
  max: 10,
  tooManyRule: 'cer.parameter-count',
  attrs: { id: req('parameterid'), name: opt('string'), value: req('string') },
  children: [],
};
const SECONDARYPARAMETER: ElementSpec = {
  name: 'SECONDARYPARAMETER',
  specRef: S + '2.2.1.3.6.2',
  required: false,
  max: Infinity,
  attrs: { name: req('string'), value: req('string') },
  children: [],
};
const FILE: ElementSpec = {
  name: 'FILE',
  specRef: S + '2.2.1.3.7.1',
  required: false,
  max: Infinity,
  attrs: { filename: req('maxpathstring'), filetype: req('filetypevalues') },
  children: [],
};

/**
 * 2.2.1.3.1. Order is not checked: the element list in 2.2.1.3.1 (USERINFO first) and the
 * examples (MACHINEINFO first) disagree. SIGNATURE is required here: its minOccurs is lost with
 * the figure, and every example carries one. APPLICATIONINFO is minOccurs 0 (2.2.1.3.4).
 */
export const WERREPORT: ElementSpec = {
  name: 'WERREPORT',
  specRef: S + '2.2.1.3.1',
  required: true,
  max: 1,
  attrs: {},
  children: [
    {
      name: 'MACHINEINFO',
      specRef: S + '2.2.1.3.3',
      required: true,
      max: 1,
      children: [],
      attrs: { machinename: req('maxpathstring'), os: req('osstring'), lcid: req('lcidvalue'), oem: opt('string32') },
    },
    { name: 'USERINFO', specRef: S + '2.2.1.3.2', required: true, max: 1, children: [], attrs: { username: req('string') } },
    {
      name: 'APPLICATIONINFO',
      specRef: S + '2.2.1.3.4',
      required: false,
      max: 1,
      children: [],
      attrs: { appname: req('maxpathstring'), apppath: req('maxpathstring'), appcompany: opt('maxpathstring') },
    },
    {
      name: 'EVENTINFO',
      specRef: S + '2.2.1.3.5',
      required: true,
      max: 1,
      children: [],
      attrs: {
        reporttype: req('reporttypevalues'),
        eventtype: req('string'),
        friendlyeventname: opt('string'),
        eventdescription: opt('string'),
        eventtime: req('unsignedLong'),
      },
    },
    { name: 'SIGNATURE', specRef: S + '2.2.1.3.6', required: true, max: 1, attrs: {}, children: [PARAMETER, SECONDARYPARAMETER] },
    { name: 'FILES', specRef: S + '2.2.1.3.7', required: false, max: 1, attrs: {}, children: [FILE] },
  ],
};

/** The document's osstring pattern (2.2.1.2.2; the figure wraps it after "[0-9]", joined here). */
export const OSSTRING_PATTERN = /^[0-9]\.[0-9]\.[0-9]{4}\.[0-9]\.[0-9]{8}\.[0-9]\.[0-9]$/;
/**
 * What real clients send: the form of the document's own examples ("6.1.6561.2.0.0.256.1") and of
 * Windows 10 ("10.0.19044.2.0.0.256.48"), dotted decimals, 8 or 9 parts.
 */
export const OSSTRING_REAL_FORM = /^[0-9]+(?:\.[0-9]+){7,8}$/;
/** The document's lcidvalue pattern (2.2.1.2.3, xs:positiveInteger restricted to [0-9]{4}). */
const LCID_PATTERN = /^[0-9]{4}$/;
const MAX_UINT32 = 0xffffffff;

/** A value's problem: the rule, with its level and section from CER_RULES, and what was expected. */
export interface TypeProblem {
  level: FindingLevel;
  rule: CerRule;
  specRef: string;
  expected: string;
}

interface TypeCheck {
  rule: CerRule;
  expected: string;
  ok: (v: string) => boolean;
}

const MAX_UNSIGNED_LONG = 2n ** 64n - 1n;
/** XSD `.` is any character but a line end; lengths count characters (code points). */
const chars = (v: string, max: number): boolean => !/[\n\r]/.test(v) && [...v].length <= max;
/** XSD whiteSpace="collapse" for the integer-based types: surrounding XML white space is not part of the value. */
export const collapse = (v: string): string => v.replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, '');
const integer =
  (pattern: RegExp) =>
  (v: string): boolean =>
    pattern.test(collapse(v));

const CHECKS: Partial<Record<SimpleType, TypeCheck>> = {
  maxpathstring: { rule: 'cer.maxpathstring', expected: 'at most 256 characters, no line breaks', ok: (v) => chars(v, 256) },
  reporttypevalues: { rule: 'cer.reporttype', expected: 'one digit 0-4', ok: integer(/^[0-4]$/) },
  filetypevalues: { rule: 'cer.filetype', expected: 'one digit 1-5', ok: integer(/^[1-5]$/) },
  // The figure's pattern "{0,32}" has lost its "."; read as .{0,32}, as the prose says.
  string32: { rule: 'cer.string32', expected: 'at most 32 characters, no line breaks', ok: (v) => chars(v, 32) },
  parameterid: { rule: 'cer.parameterid', expected: 'one digit 0-9', ok: integer(/^[0-9]$/) },
  unsignedLong: {
    rule: 'cer.eventtime',
    expected: 'an xs:unsignedLong (decimal digits, at most 18446744073709551615)',
    ok: (v) => /^\+?[0-9]+$/.test(collapse(v)) && BigInt(collapse(v)) <= MAX_UNSIGNED_LONG,
  },
};

/** The problem of `rule`, at the level and section its table entry gives. */
const problem = (rule: CerRule, expected: string): TypeProblem => ({ ...CER_RULES[rule], rule, expected });

/** The finding a value of a simple type earns, or null when it conforms. */
export function checkSimpleType(type: SimpleType, value: string): TypeProblem | null {
  if (type === 'osstring') return checkOsstring(value);
  if (type === 'lcidvalue') return checkLcid(value);
  const check = CHECKS[type];
  if (!check || check.ok(value)) return null;
  return problem(check.rule, check.expected);
}

/**
 * MS-CER2 2.2.1.2.2. The pattern fits no real Windows version string (its fifth part has 8 digits),
 * so the dotted form real clients send is accepted with an info finding, never refused.
 */
function checkOsstring(value: string): TypeProblem | null {
  const expected = `the osstring pattern ${OSSTRING_PATTERN.source.slice(1, -1)}`;
  if (OSSTRING_PATTERN.test(value)) return null;
  if (OSSTRING_REAL_FORM.test(value)) {
    const form = Number(value.split('.')[0]) >= 10 ? 'the Windows 10 form (10.0.19044.2.0.0.256.48)' : "the form of the document's own section 4 examples (6.1.6561.2.0.0.256.1)";
    return problem('cer.osstring-form', `${expected}; this is ${form}, accepted`);
  }
  return problem('cer.osstring', `${expected}, or the dotted form real clients send (8 or 9 dot-separated numbers)`);
}

/**
 * MS-CER2 2.2.1.2.3. Real locale ids have 5 digits (ar-AE 14337, ar-QA 16385, en-IN 16393), so any
 * decimal 32-bit value is accepted (INTERFACE.md); one outside the 4-digit pattern is an info finding.
 */
function checkLcid(value: string): TypeProblem | null {
  const v = collapse(value);
  const decimal = /^[0-9]+$/.test(v) && Number(v) <= MAX_UINT32;
  if (!decimal) return problem('cer.lcid', `a decimal locale id (the pattern [0-9]{4}; real ones have 5 digits, up to ${MAX_UINT32})`);
  if (LCID_PATTERN.test(v) && Number(v) > 0) return null;
  const why = Number(v) === 0 ? 'is 0, not a positiveInteger' : `has ${v.length} digit${v.length === 1 ? '' : 's'}`;
  return problem('cer.lcid-form', `the pattern [0-9]{4} (a positiveInteger); this ${why}, accepted as a locale id (MS-LCID ids such as 14337 have 5 digits)`);
}

/** Attributes no schema has to declare: namespace declarations and XML Schema instance ones. */
export const isXmlInfrastructure = (name: string): boolean => name === 'xmlns' || name.startsWith('xmlns:') || name.startsWith('xsi:');
