// The authoring form of an A-SQM manifest (the scenario's `partners.<p>.manifest`, or a YAML file for
// `sqm-cer-mock manifest encode`) as a zod schema: shape first, then the MS-SQMCS 2.2.6 rules across
// fields (unique ids and bits, at most 32 AND clauses, operands that fit the operator, real dates).

import { z } from 'zod';
import { filetimeFromIso } from './dates';
import { MAX_AND_CLAUSES, type GroupName, type OperatorName, type RuleActionName, type RuleTypeName } from './types';

const uint32 = z.number().int().min(0).max(0xffffffff);
const text = z.string();

export const RULE_TYPE_NAMES = ['callback', 'report'] as const satisfies readonly RuleTypeName[];
export const RULE_ACTION_NAMES = ['callback', 'werMiniDump', 'werMicroDump', 'werHeapDump'] as const satisfies readonly RuleActionName[];
export const OPERATOR_NAMES = ['dwordEquals', 'dwordLessThan', 'dwordGreaterThan', 'dwordInRange', 'stringContains', 'qwordEquals'] as const satisfies readonly OperatorName[];
export const GROUP_NAMES = ['and', 'or'] as const satisfies readonly GroupName[];

const ClauseSchema = z.strictObject({
  group: z.enum(GROUP_NAMES),
  /** DataIdentifier: the data point or stream id. */
  data: uint32,
  /** StreamRecordPosition: 0 (default) = a data point, 1..N = that position in the stream. */
  streamPosition: uint32.optional(),
  op: z.enum(OPERATOR_NAMES),
  /** DWORD (ops dword*), string (stringContains) or QWORD (qwordEquals: a number or a decimal/0x string). */
  // `.min(0)` makes zod write anyOf, not `type: [number, string]` (which Ajv strict mode refuses); per-op checks below.
  value: z.union([z.number().min(0), text]).optional(),
  /** dwordInRange bounds. */
  low: uint32.optional(),
  high: uint32.optional(),
  /** AND clauses only: the EvaluationFlag bit (0-31); by default the lowest free bit, in order. */
  bit: z.number().int().min(0).max(31).optional(),
});

const RuleSchema = z.strictObject({
  id: uint32,
  type: z.enum(RULE_TYPE_NAMES),
  callbackValue: uint32.optional(),
  action: z.enum(RULE_ACTION_NAMES),
  /** ISO 8601 date; absent = RuleExpirationTime 0. */
  expires: text.optional(),
  clauses: z.array(ClauseSchema).min(1),
});

const PropertySetSchema = z.strictObject({
  name: text,
  properties: z.record(text, text),
});

const VERSION_MESSAGE = 'expected a version other than 0 and 0x00FFFFFF (reserved by MS-SQMCS 2.2.6.3)';

/**
 * One partner's A-SQM manifest, as authored. All keys but `version` are optional: `{ version: 7 }` alone
 * announces a version (SQM v1 201, SQM v2 `rsrc`) and serves an empty manifest. `raw` (base64 of a whole
 * package, download header included) is served byte for byte instead, and excludes the other keys.
 * @example AsqmManifestSchema.parse({ version: 7, expires: '2030-01-01', propertySets: [{ name: 'settings', properties: { Upload: '1' } }] })
 */
export const AsqmManifestSchema = z
  .strictObject({
    version: uint32.refine((v) => v !== 0 && v !== 0x00ffffff, VERSION_MESSAGE),
    /** ISO 8601 date (`2030-01-01T00:00:00Z`); absent = ExpirationTime 0. */
    expires: text.optional(),
    /** PartnerName (at most 63 UTF-16 units); default: the scenario's partner key. */
    partner: text.optional(),
    rules: z.array(RuleSchema).optional(),
    propertySets: z.array(PropertySetSchema).optional(),
    raw: text.optional(),
  })
  .superRefine(checkManifestSpec);

export type AsqmManifestSpec = z.infer<typeof AsqmManifestSchema>;
export type AsqmRuleSpec = z.infer<typeof RuleSchema>;
export type AsqmClauseSpec = z.infer<typeof ClauseSchema>;
export type AsqmPropertySetSpec = z.infer<typeof PropertySetSchema>;

type Ctx = z.core.$RefinementCtx<AsqmManifestSpec>;
type Path = (string | number)[];
const issue = (ctx: Ctx, path: Path, message: string, input: unknown): void => ctx.addIssue({ code: 'custom', path, message, input });

/** QWORD operand: a non-negative safe integer, or a decimal or 0x-hex string below 2^64; else null. */
export function parseQword(v: unknown): bigint | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? BigInt(v) : null;
  if (typeof v !== 'string' || !/^(\d+|0[xX][0-9a-fA-F]+)$/.test(v)) return null;
  const n = BigInt(v);
  return n < 1n << 64n ? n : null;
}

const isDword = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

function checkManifestSpec(m: AsqmManifestSpec, ctx: Ctx): void {
  checkString(ctx, ['partner'], m.partner, 63);
  checkDate(ctx, ['expires'], m.expires);
  if (m.raw !== undefined) {
    if (!BASE64.test(m.raw) || Buffer.from(m.raw, 'base64').length === 0) issue(ctx, ['raw'], 'expected the base64 bytes of a manifest package', m.raw.slice(0, 20));
    for (const key of ['expires', 'partner', 'rules', 'propertySets'] as const) {
      if (m[key] !== undefined) issue(ctx, [key], 'expected no other key beside `raw` (a raw package is served as is)', m[key]);
    }
  }
  const ids = new Map<number, number>();
  (m.rules ?? []).forEach((rule, i) => {
    const first = ids.get(rule.id);
    if (first !== undefined) issue(ctx, ['rules', i, 'id'], `expected a rule id not used by rules[${first}] (MS-SQMCS 2.2.6.5.1)`, rule.id);
    else ids.set(rule.id, i);
    checkDate(ctx, ['rules', i, 'expires'], rule.expires);
    checkClauses(ctx, ['rules', i], rule.clauses);
  });
  const names = new Map<string, number>();
  (m.propertySets ?? []).forEach((set, i) => {
    const first = names.get(set.name);
    if (first !== undefined) issue(ctx, ['propertySets', i, 'name'], `expected a name not used by propertySets[${first}] (MS-SQMCS 2.2.6.6.1)`, set.name);
    else names.set(set.name, i);
    checkString(ctx, ['propertySets', i, 'name'], set.name);
    if (Object.keys(set.properties).length === 0) issue(ctx, ['propertySets', i, 'properties'], 'expected at least 1 property (MS-SQMCS 2.2.6.6)', set.properties);
    for (const [k, v] of Object.entries(set.properties)) {
      checkString(ctx, ['propertySets', i, 'properties'], k);
      checkString(ctx, ['propertySets', i, 'properties', k], v);
    }
  });
}

function checkClauses(ctx: Ctx, at: Path, clauses: AsqmClauseSpec[]): void {
  const bits = new Map<number, number>();
  let ands = 0;
  clauses.forEach((c, k) => {
    const path: Path = [...at, 'clauses', k];
    if (c.group === 'and') ands++;
    if (c.bit !== undefined) {
      const first = bits.get(c.bit);
      if (c.group === 'or') issue(ctx, [...path, 'bit'], 'expected no bit on an OR clause (its EvaluationFlag is 0, MS-SQMCS 2.2.6.5.2)', c.bit);
      else if (first !== undefined) issue(ctx, [...path, 'bit'], `expected a bit not used by clauses[${first}] (MS-SQMCS 2.2.6.5.2)`, c.bit);
      else bits.set(c.bit, k);
    }
    checkOperand(ctx, path, c);
  });
  if (ands > MAX_AND_CLAUSES) issue(ctx, [...at, 'clauses'], `expected at most ${MAX_AND_CLAUSES} AND clauses (MS-SQMCS 2.2.6.5.2)`, ands);
}

/** Decision (b): which of value / low+high each operator takes, and of what type. */
function checkOperand(ctx: Ctx, path: Path, c: AsqmClauseSpec): void {
  const none = (key: 'value' | 'low' | 'high') => {
    if (c[key] !== undefined) issue(ctx, [...path, key], `expected no \`${key}\` with ${c.op}`, c[key]);
  };
  switch (c.op) {
    case 'dwordInRange':
      none('value');
      if (c.low === undefined) issue(ctx, [...path, 'low'], 'expected a DWORD low bound for dwordInRange', c.low);
      if (c.high === undefined) issue(ctx, [...path, 'high'], 'expected a DWORD high bound for dwordInRange', c.high);
      if (c.low !== undefined && c.high !== undefined && c.low > c.high) issue(ctx, [...path, 'high'], `expected high ≥ low (${c.low})`, c.high);
      return;
    case 'stringContains':
      none('low');
      none('high');
      if (typeof c.value !== 'string') issue(ctx, [...path, 'value'], 'expected a string for stringContains', c.value);
      else checkString(ctx, [...path, 'value'], c.value);
      return;
    case 'qwordEquals':
      none('low');
      none('high');
      if (parseQword(c.value) === null) issue(ctx, [...path, 'value'], 'expected a QWORD for qwordEquals: an integer 0..2^53, or a decimal or 0x string below 2^64', c.value);
      return;
    default:
      none('low');
      none('high');
      if (!isDword(c.value)) issue(ctx, [...path, 'value'], `expected a DWORD (0..4294967295) for ${c.op}`, c.value);
  }
}

function checkString(ctx: Ctx, path: Path, s: string | undefined, max?: number): void {
  if (s === undefined) return;
  if (s.includes('\0')) issue(ctx, path, 'expected text without NUL characters (strings are null-terminated)', s);
  else if (max !== undefined && s.length > max) issue(ctx, path, `expected at most ${max} UTF-16 units (PartnerName is 128 bytes, MS-SQMCS 2.2.6.3)`, s);
}

function checkDate(ctx: Ctx, path: Path, s: string | undefined): void {
  if (s !== undefined && filetimeFromIso(s) === null) issue(ctx, path, 'expected an ISO 8601 date such as 2030-01-01 or 2030-01-01T00:00:00Z', s);
}
