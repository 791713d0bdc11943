// The A-SQM escalation rule section (MS-SQMCS 2.2.6.5): rule header (2.2.6.5.1) and clauses (2.2.6.5.2),
// read until RuleLength is used up. Decision (b): a clause's operand follows its 24 fixed bytes.

import { ByteReader } from '../../wire/reader';
import { ByteWriter } from '../../wire/writer';
import { hex32, type Findings } from '../../wire/findings';
import { report } from './rules';
import { decodeTerminated, encodeAligned } from './strings';
import {
  CLAUSE_FIXED_LENGTH,
  GROUP_OPERATORS,
  MAX_AND_CLAUSES,
  OPERATORS,
  RULE_ACTIONS,
  RULE_HEADER_LENGTH,
  RULE_TYPES,
  type AsqmClause,
  type AsqmRule,
  type ClauseOperand,
} from './types';

const EMPTY = Buffer.alloc(0);
const VALID_TYPES = new Set<number>(Object.values(RULE_TYPES));
const VALID_ACTIONS = new Set<number>(Object.values(RULE_ACTIONS));
const OPERATOR_NAMES = new Map<number, string>(Object.entries(OPERATORS).map(([k, v]) => [v, k]));

export interface DecodedRule {
  rule: AsqmRule;
  /** Section bytes after RuleLength. */
  extra?: Buffer;
}

/** Decodes a rule section's body (SectionLength bytes at `base`); null when it cannot hold a rule header. */
export function decodeRule(body: Buffer, base: number, findings: Findings): DecodedRule | null {
  if (body.length < RULE_HEADER_LENGTH) {
    report(findings, 'asqm.rule-length', `a rule section of ${body.length} bytes cannot hold the ${RULE_HEADER_LENGTH}-byte rule header; kept raw`, { offset: base });
    return null;
  }
  const r = new ByteReader(body);
  const [ruleLength, ruleIdentifier, ruleEvaluationFlag, ruleType, ruleCallbackValue, ruleAction] = [r.u32()!, r.u32()!, r.u32()!, r.u32()!, r.u32()!, r.u32()!];
  const rule: AsqmRule = { ruleLength, ruleIdentifier, ruleEvaluationFlag, ruleType, ruleCallbackValue, ruleAction, ruleExpirationTime: r.u64()!, clauses: [] };
  if (ruleLength !== body.length) report(findings, 'asqm.rule-length', `rule ${ruleIdentifier}: RuleLength is ${ruleLength}; SectionLength is ${body.length}`, { offset: base });
  const end = Math.min(Math.max(ruleLength, RULE_HEADER_LENGTH), body.length);
  while (r.pos < end) {
    const at = base + r.pos;
    const clauseLength = end - r.pos >= 4 ? body.readUInt32LE(r.pos) : 0;
    if (end - r.pos < CLAUSE_FIXED_LENGTH || clauseLength < CLAUSE_FIXED_LENGTH || clauseLength > end - r.pos) {
      report(
        findings,
        'asqm.clause-length',
        `rule ${ruleIdentifier}, clause ${rule.clauses.length}: ClauseLength ${clauseLength} does not fit the ${end - r.pos} bytes left (at least ${CLAUSE_FIXED_LENGTH})`,
        { offset: at },
      );
      rule.trailing = r.bytes(end - r.pos)!;
      break;
    }
    rule.clauses.push(decodeClause(r.bytes(clauseLength)!, at, findings));
  }
  checkRule(rule, base, findings);
  return end < body.length ? { rule, extra: body.subarray(end) } : { rule };
}

function decodeClause(bytes: Buffer, base: number, findings: Findings): AsqmClause {
  const r = new ByteReader(bytes);
  const [clauseLength, evaluationFlag, dataIdentifier, streamRecordPosition, operator, groupOperator] = [r.u32()!, r.u32()!, r.u32()!, r.u32()!, r.u32()!, r.u32()!];
  const operand = decodeOperand(operator, bytes.subarray(CLAUSE_FIXED_LENGTH), base + CLAUSE_FIXED_LENGTH, findings);
  return { clauseLength, evaluationFlag, dataIdentifier, streamRecordPosition, operator, groupOperator, operand };
}

/** Decision (b): operators 1-3 a DWORD, 4 two DWORDs (low, high), 5 an aligned string, 7 a QWORD. */
function decodeOperand(operator: number, bytes: Buffer, offset: number, findings: Findings): ClauseOperand {
  const sized = (n: number): boolean => {
    if (bytes.length === n) return true;
    report(findings, 'asqm.clause-operand', `operator ${OPERATOR_NAMES.get(operator)} takes a ${n}-byte operand; the clause has ${bytes.length}`, { offset });
    return false;
  };
  switch (operator) {
    case OPERATORS.dwordEquals:
    case OPERATORS.dwordLessThan:
    case OPERATORS.dwordGreaterThan:
      return sized(4) ? { type: 'dword', value: bytes.readUInt32LE(0) } : { type: 'raw', bytes: Buffer.from(bytes) };
    case OPERATORS.dwordInRange: {
      if (!sized(8)) return { type: 'raw', bytes: Buffer.from(bytes) };
      const low = bytes.readUInt32LE(0);
      const high = bytes.readUInt32LE(4);
      if (low > high) report(findings, 'asqm.clause-range', `In Range operand: low ${low} is above high ${high}`, { offset });
      return { type: 'range', low, high };
    }
    case OPERATORS.qwordEquals:
      return sized(8) ? { type: 'qword', value: bytes.readBigUInt64LE(0) } : { type: 'raw', bytes: Buffer.from(bytes) };
    case OPERATORS.stringContains:
      return { type: 'string', ...decodeTerminated(bytes, { findings, offset, section: '2.2.6.5.2', field: 'String Contains operand' }) };
    default:
      report(findings, 'asqm.clause-operator', `ClauseEvaluationOperator ${hex32(operator)} is not 0x1-0x5 or 0x7; operand kept raw`, { offset: offset - 8 });
      return { type: 'raw', bytes: Buffer.from(bytes) };
  }
}

/** 2.2.6.5.1/2.2.6.5.2 rules inside one rule: types, actions, group operators and evaluation bits. */
function checkRule(rule: AsqmRule, base: number, findings: Findings): void {
  const id = rule.ruleIdentifier;
  const at = (field: number) => ({ offset: base + field });
  if (!VALID_TYPES.has(rule.ruleType)) report(findings, 'asqm.rule-type', `rule ${id}: RuleType ${hex32(rule.ruleType)} is not 0x1 or 0x2`, at(12));
  if (!VALID_ACTIONS.has(rule.ruleAction)) report(findings, 'asqm.rule-action', `rule ${id}: RuleAction ${hex32(rule.ruleAction)} is not 0x1, 0x2, 0x4 or 0x8`, at(20));
  if (rule.clauses.length === 0) report(findings, 'asqm.no-clauses', `rule ${id} has no clauses`, at(0));
  let andBits = 0;
  let andCount = 0;
  let offset = base + RULE_HEADER_LENGTH;
  for (const [i, c] of rule.clauses.entries()) {
    const where = `rule ${id}, clause ${i}`;
    if (c.groupOperator === GROUP_OPERATORS.and) {
      andCount++;
      const single = c.evaluationFlag !== 0 && (c.evaluationFlag & (c.evaluationFlag - 1)) === 0;
      if (!single) report(findings, 'asqm.evaluation-flag', `${where}: an AND clause's EvaluationFlag must be one bit; got ${hex32(c.evaluationFlag)}`, { offset: offset + 4 });
      else if ((andBits & c.evaluationFlag) !== 0)
        report(findings, 'asqm.duplicate-evaluation-bit', `${where}: EvaluationFlag ${hex32(c.evaluationFlag)} is already used by another AND clause`, { offset: offset + 4 });
      andBits = (andBits | c.evaluationFlag) >>> 0;
    } else if (c.groupOperator === GROUP_OPERATORS.or) {
      if (c.evaluationFlag !== 0)
        report(findings, 'asqm.evaluation-flag', `${where}: an OR clause's EvaluationFlag must be 0; got ${hex32(c.evaluationFlag)}`, { offset: offset + 4 });
    } else {
      report(findings, 'asqm.group-operator', `${where}: ClauseGroupOperator ${hex32(c.groupOperator)} is not 0 (AND) or 1 (OR)`, { offset: offset + 20 });
    }
    offset += c.clauseLength ?? 0;
  }
  if (andCount > MAX_AND_CLAUSES) report(findings, 'asqm.and-clause-limit', `rule ${id} has ${andCount} AND clauses; the limit is ${MAX_AND_CLAUSES}`, at(0));
  if (rule.ruleEvaluationFlag !== andBits) {
    report(findings, 'asqm.rule-evaluation-flag', `rule ${id}: RuleEvaluationFlag is ${hex32(rule.ruleEvaluationFlag ?? 0)}; its AND clauses' bits make ${hex32(andBits)}`, at(8));
  }
}

/** The OR of the AND clauses' EvaluationFlag values (2.2.6.5.1). */
export const andBitsOf = (clauses: readonly AsqmClause[]): number =>
  clauses.reduce((bits, c) => (c.groupOperator === GROUP_OPERATORS.and ? (bits | c.evaluationFlag) >>> 0 : bits), 0);

export function encodeOperand(operand: ClauseOperand): Buffer {
  const w = new ByteWriter(16);
  switch (operand.type) {
    case 'dword':
      return w.u32(operand.value).toBuffer();
    case 'range':
      return w.u32(operand.low).u32(operand.high).toBuffer();
    case 'qword':
      return w.u64(operand.value).toBuffer();
    case 'string':
      return operand.bytes ?? encodeAligned(operand.value);
    case 'raw':
      return operand.bytes;
  }
}

/** Encodes a rule: stored lengths and RuleEvaluationFlag when present (and not `recompute`), else computed. */
export function encodeRule(rule: AsqmRule, recompute = false): Buffer {
  const clauses = rule.clauses.map((c) => {
    const operand = encodeOperand(c.operand);
    const w = new ByteWriter(CLAUSE_FIXED_LENGTH + operand.length);
    w.u32(recompute || c.clauseLength === undefined ? CLAUSE_FIXED_LENGTH + operand.length : c.clauseLength);
    w.u32(c.evaluationFlag).u32(c.dataIdentifier).u32(c.streamRecordPosition).u32(c.operator).u32(c.groupOperator);
    return w.bytes(operand).toBuffer();
  });
  const body = Buffer.concat([...clauses, rule.trailing ?? EMPTY]);
  const w = new ByteWriter(RULE_HEADER_LENGTH + body.length);
  w.u32(recompute || rule.ruleLength === undefined ? RULE_HEADER_LENGTH + body.length : rule.ruleLength);
  w.u32(rule.ruleIdentifier).u32(rule.ruleEvaluationFlag ?? andBitsOf(rule.clauses));
  w.u32(rule.ruleType).u32(rule.ruleCallbackValue).u32(rule.ruleAction).u64(rule.ruleExpirationTime);
  return w.bytes(body).toBuffer();
}
