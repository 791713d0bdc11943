// Authored manifest (YAML text, or the scenario's `partners.<p>.manifest`) → the typed package the codec
// encodes (MS-SQMCS 2.2.6); and the bytes to serve for a partner's manifest URL (note <9>).

import { formatPath } from '../../scenario/load';
import { decodeManifestPackage, encodeManifestPackage } from './codec';
import { filetimeFromIso } from './dates';
import { andBitsOf } from './escalation-rule';
import { parseQword, type AsqmClauseSpec, type AsqmManifestSpec, type AsqmPropertySetSpec, type AsqmRuleSpec } from './schema';
import { ManifestError, parseYamlText, validateManifestSpec, type LineOf } from './validate';
import {
  ASQM_SIGNATURE,
  GROUP_OPERATORS,
  MAX_AND_CLAUSES,
  OPERATORS,
  RULE_ACTIONS,
  RULE_TYPES,
  type AsqmClause,
  type AsqmManifestPackage,
  type AsqmRule,
  type AsqmSection,
  type ClauseOperand,
} from './types';

export interface FromYamlOptions {
  /** PartnerName when the manifest has no `partner` key; in a scenario document, whose manifest to take. */
  partner?: string;
  /** Names the document in errors (e.g. the file name); default `manifest`. */
  source?: string;
}

/**
 * An authored manifest → the package to encode. `doc` is YAML/JSON text or already-parsed data: a manifest
 * (`{ version, expires, partner?, rules, propertySets }`) or a whole scenario (then `partners.<p>.manifest`,
 * p = `opts.partner`, or the only partner with a manifest). Throws a ManifestError naming each bad path.
 * @example encodeManifestPackage(manifestFromYaml(fs.readFileSync('m.yaml', 'utf8'), { partner: 'windows' }))
 */
export function manifestFromYaml(doc: unknown, opts: FromYamlOptions = {}): AsqmManifestPackage {
  const source = opts.source ?? 'manifest';
  const parsed: { value: unknown; lineOf?: LineOf } = typeof doc === 'string' ? parseYamlText(doc, source) : { value: doc };
  const picked = pickManifest(parsed.value, opts.partner, source);
  const spec = validateManifestSpec(picked.value, { source, prefix: picked.prefix, lineOf: parsed.lineOf });
  if (spec.raw !== undefined) return decodeRaw(spec.raw, source, picked.prefix);
  const partner = spec.partner ?? picked.partner;
  const at = formatPath([...picked.prefix, 'partner']);
  if (partner === undefined) throw new ManifestError(source, [`${at}: expected a partner name (a \`partner\` key, or the partner option)`]);
  if (partner.length > 63 || partner.includes('\0')) {
    throw new ManifestError(source, [`${at}: expected at most 63 UTF-16 units without NUL (PartnerName is 128 bytes, MS-SQMCS 2.2.6.3), got ${JSON.stringify(partner)}`]);
  }
  return manifestFromSpec(spec, partner);
}

/** A scenario document holds manifests under `partners.<p>.manifest`; anything else is one manifest. */
function pickManifest(value: unknown, partner: string | undefined, source: string): { value: unknown; prefix: string[]; partner?: string } {
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isMap(value) || !('partners' in value) || 'version' in value) return { value, prefix: [], partner };
  const partners = isMap(value.partners) ? value.partners : {};
  const withManifest = Object.keys(partners).filter((p) => isMap(partners[p]) && partners[p].manifest !== undefined);
  const chosen = partner ?? (withManifest.length === 1 ? withManifest[0] : undefined);
  if (chosen === undefined || !withManifest.includes(chosen)) {
    const what = chosen === undefined ? 'a partner option naming one' : `a manifest for partner "${chosen}"`;
    throw new ManifestError(source, [`partners: expected ${what}; partners with a manifest: ${withManifest.join(', ') || 'none'}`]);
  }
  return { value: (partners[chosen] as Record<string, unknown>).manifest, prefix: ['partners', chosen, 'manifest'], partner: chosen };
}

function decodeRaw(raw: string, source: string, prefix: string[]): AsqmManifestPackage {
  const { value, findings } = decodeManifestPackage(Buffer.from(raw, 'base64'));
  if (value !== null) return value;
  throw new ManifestError(source, [`${formatPath([...prefix, 'raw'])}: expected a manifest package, got ${findings[0]?.message ?? 'nothing'}`]);
}

/**
 * A validated spec → the package (lengths, counts and the checksum left to the encoder). Never throws:
 * a PartnerName over 63 UTF-16 units is cut by the encoder. `raw` is not handled here (see manifestBytesFor).
 */
export function manifestFromSpec(spec: AsqmManifestSpec, partner: string): AsqmManifestPackage {
  const sections: AsqmSection[] = [
    ...(spec.rules ?? []).map((r): AsqmSection => ({ type: 'rule', rule: ruleFromSpec(r) })),
    ...(spec.propertySets ?? []).map((s): AsqmSection => ({ type: 'propertySet', propertySet: propertySetFromSpec(s) })),
  ];
  return {
    download: { signature: ASQM_SIGNATURE },
    header: { version: spec.version, expirationTime: dateOr0(spec.expires), partnerName: spec.partner ?? partner },
    sections,
  };
}

const dateOr0 = (iso: string | undefined): bigint => (iso === undefined ? 0n : (filetimeFromIso(iso) ?? 0n));

/** EvaluationFlag bits of the clauses: explicit `bit`s kept, the other AND clauses get the lowest free bits in order. */
export function assignBits(clauses: readonly Pick<AsqmClauseSpec, 'group' | 'bit'>[]): (number | undefined)[] {
  const used = new Set(clauses.flatMap((c) => (c.group === 'and' && c.bit !== undefined ? [c.bit] : [])));
  let next = 0;
  return clauses.map((c) => {
    if (c.group !== 'and') return undefined;
    if (c.bit !== undefined) return c.bit;
    while (used.has(next)) next++;
    used.add(next);
    return next;
  });
}

function ruleFromSpec(r: AsqmRuleSpec): AsqmRule {
  const bits = assignBits(r.clauses);
  const clauses = r.clauses.map((c, i) => clauseFromSpec(c, bits[i]));
  return {
    ruleIdentifier: r.id,
    ruleEvaluationFlag: andBitsOf(clauses),
    ruleType: RULE_TYPES[r.type],
    ruleCallbackValue: r.callbackValue ?? 0,
    ruleAction: RULE_ACTIONS[r.action],
    ruleExpirationTime: dateOr0(r.expires),
    clauses,
  };
}

function clauseFromSpec(c: AsqmClauseSpec, bit: number | undefined): AsqmClause {
  return {
    evaluationFlag: bit === undefined || bit >= MAX_AND_CLAUSES ? 0 : (1 << bit) >>> 0,
    dataIdentifier: c.data,
    streamRecordPosition: c.streamPosition ?? 0,
    operator: OPERATORS[c.op],
    groupOperator: GROUP_OPERATORS[c.group],
    operand: operandFromSpec(c),
  };
}

function operandFromSpec(c: AsqmClauseSpec): ClauseOperand {
  switch (c.op) {
    case 'dwordInRange':
      return { type: 'range', low: c.low ?? 0, high: c.high ?? 0 };
    case 'stringContains':
      return { type: 'string', value: String(c.value ?? '') };
    case 'qwordEquals':
      return { type: 'qword', value: parseQword(c.value) ?? 0n };
    default:
      return { type: 'dword', value: typeof c.value === 'number' ? c.value : 0 };
  }
}

function propertySetFromSpec(s: AsqmPropertySetSpec) {
  return { name: s.name, properties: Object.entries(s.properties).map(([key, value]) => ({ key, value })) };
}

/**
 * The bytes to serve at `/sqm/<partner>/manifests/Sqm<version>.bin`: null when the partner has no manifest
 * or its version is another; `raw` byte for byte; else the encoded package, PartnerName = the manifest's
 * `partner` or else the partner from the URL. Never throws on a schema-valid spec.
 * @example manifestBytesFor(engine.partner('windows')?.manifest, { partner: 'windows', version: 7 })
 */
export function manifestBytesFor(spec: AsqmManifestSpec | undefined, at: { partner: string; version: number }): Buffer | null {
  if (spec === undefined || spec.version !== at.version) return null;
  if (spec.raw !== undefined) return Buffer.from(spec.raw, 'base64');
  return encodeManifestPackage(manifestFromSpec(spec, at.partner));
}
