// A typed A-SQM package (MS-SQMCS 2.2.6) → its YAML authoring form, the inverse of manifestFromYaml for
// well-formed manifests. What that form cannot hold (raw sections, stray bytes) is named in a comment,
// and values outside the document's tables are written as numbers (such YAML does not validate).

import YAML from 'yaml';
import { filetimeToIsoExact } from './dates';
import { assignBits } from './authoring';
import { GROUP_OPERATORS, OPERATORS, RULE_ACTIONS, RULE_TYPES, type AsqmClause, type AsqmManifestPackage, type AsqmPropertySet, type AsqmRule } from './types';

const nameOf = (table: Record<string, number>, v: number): string | number => Object.keys(table).find((k) => table[k] === v) ?? v;
const hex = (b: Buffer): string => b.toString('hex');

/**
 * @example manifestToYaml(decodeManifestPackage(bytes).value!) // "version: 7\nexpires: 2030-01-01T00:00:00Z\n…"
 */
export function manifestToYaml(pkg: AsqmManifestPackage): string {
  const notes: string[] = [];
  const out: Record<string, unknown> = { version: pkg.header.version };
  if (pkg.header.expirationTime !== 0n) out.expires = filetimeToIsoExact(pkg.header.expirationTime);
  if (pkg.header.partnerName !== '') out.partner = pkg.header.partnerName;
  const rules: Record<string, unknown>[] = [];
  const sets: Record<string, unknown>[] = [];
  for (const s of pkg.sections) {
    if (s.type === 'rule') rules.push(ruleToSpec(s.rule, notes));
    else if (s.type === 'propertySet') sets.push(propertySetToSpec(s.propertySet, notes));
    else notes.push(`a raw section of type ${s.sectionType} (${s.bytes.length} bytes) is not shown`);
    if (s.extra !== undefined) notes.push(`${s.extra.length} bytes after a section's content are not shown`);
  }
  if (rules.length > 0) out.rules = rules;
  if (sets.length > 0) out.propertySets = sets;
  if (pkg.trailing !== undefined) notes.push(`${pkg.trailing.length} bytes after the last section are not shown`);
  const doc = new YAML.Document(out);
  rules.forEach((_r, i) => {
    const list = doc.getIn(['rules', i, 'clauses']);
    if (YAML.isSeq(list)) for (const item of list.items) if (YAML.isMap(item)) item.flow = true;
  });
  if (notes.length > 0) doc.commentBefore = [" Not the whole package (see the decoder's findings):", ...notes.map((n) => ` - ${n}`)].join('\n');
  return doc.toString({ lineWidth: 0 });
}

function ruleToSpec(rule: AsqmRule, notes: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { id: rule.ruleIdentifier, type: nameOf(RULE_TYPES, rule.ruleType) };
  if (rule.ruleCallbackValue !== 0) out.callbackValue = rule.ruleCallbackValue;
  out.action = nameOf(RULE_ACTIONS, rule.ruleAction);
  if (rule.ruleExpirationTime !== 0n) out.expires = filetimeToIsoExact(rule.ruleExpirationTime);
  // `bit` is written only when the AND clauses do not simply hold bits 0, 1, 2… in order.
  const groups = rule.clauses.map((c) => (c.groupOperator === GROUP_OPERATORS.and ? 'and' : 'or'));
  const auto = assignBits(groups.map((group) => ({ group })));
  const isAuto = rule.clauses.every((c, i) => auto[i] === undefined || c.evaluationFlag === (1 << auto[i]) >>> 0);
  out.clauses = rule.clauses.map((c) => clauseToSpec(c, !isAuto));
  const flags = rule.clauses.reduce((b, c) => (c.groupOperator === GROUP_OPERATORS.and ? (b | c.evaluationFlag) >>> 0 : b), 0);
  if (rule.ruleEvaluationFlag !== undefined && rule.ruleEvaluationFlag !== flags) out.evaluationFlag = rule.ruleEvaluationFlag;
  if (rule.trailing !== undefined) notes.push(`rule ${rule.ruleIdentifier}: ${rule.trailing.length} bytes after its last clause are not shown`);
  return out;
}

function clauseToSpec(c: AsqmClause, explicitBits: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { group: nameOf(GROUP_OPERATORS, c.groupOperator), data: c.dataIdentifier };
  if (c.streamRecordPosition !== 0) out.streamPosition = c.streamRecordPosition;
  out.op = nameOf(OPERATORS, c.operator);
  const o = c.operand;
  if (o.type === 'range') Object.assign(out, { low: o.low, high: o.high });
  else if (o.type === 'qword') out.value = o.value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(o.value) : o.value.toString();
  else if (o.type === 'raw') out.rawOperand = hex(o.bytes);
  else out.value = o.value;
  const single = c.evaluationFlag !== 0 && (c.evaluationFlag & (c.evaluationFlag - 1)) === 0;
  const isAnd = c.groupOperator === GROUP_OPERATORS.and;
  if (isAnd && single && explicitBits) out.bit = 31 - Math.clz32(c.evaluationFlag);
  else if ((isAnd && !single) || (!isAnd && c.evaluationFlag !== 0)) out.evaluationFlag = c.evaluationFlag;
  return out;
}

function propertySetToSpec(set: AsqmPropertySet, notes: string[]): Record<string, unknown> {
  // A Map, not an object: a key such as `__proto__` must stay a plain key.
  const properties = new Map<string, string>();
  for (const p of set.properties) {
    if (properties.has(p.key)) notes.push(`property set "${set.name}": a second "${p.key}" is not shown`);
    else properties.set(p.key, p.value);
  }
  if (set.trailing !== undefined) notes.push(`property set "${set.name}": ${set.trailing.length} bytes after its last property are not shown`);
  return { name: set.name, properties };
}
