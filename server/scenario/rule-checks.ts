// Rules that can never do what they say, refused when a scenario is loaded: a `when` naming a key
// no request of its protocol(s) has (a `cer` rule with `partner`), a protocol part of `respond` for
// a protocol the rule cannot match, and answers that exclude each other (a fault that sends nothing
// beside a status or body). What each protocol's requests have comes from its routes' matchKeys.

/** The `when` keys a protocol may or may not have facts for (protocol, method and path every request has). */
export const MATCH_KEYS = ['partner', 'command', 'namespace', 'mid', 'eventType', 'appName'] as const;
export type MatchKey = (typeof MATCH_KEYS)[number];

/** What this file reads of a rule (RuleSpec, without importing the schema it is part of). */
export interface CheckedRule {
  when?: { protocol?: string };
  respond?: object | readonly object[];
}

/** What the protocols of a server offer rules: per protocol its match keys; per `respond` part the protocols that read it. */
export interface ProtocolFacts {
  matchKeys: Record<string, readonly string[]>;
  respondOwners: Record<string, readonly string[]>;
}

export interface RuleProblem {
  /** From the rule, e.g. `['when', 'partner']`. */
  path: PropertyKey[];
  message: string;
}

/** Faults that send none of the answer (faults/index.ts): `empty` sends the status and headers, `truncate` part of the body. */
const SILENT_FAULTS = new Set(['reset', 'close', 'garbage', 'hang']);

const list = (xs: readonly string[]): string => (xs.length === 0 ? 'nothing' : xs.join(', '));

/** The protocols whose requests have every `when` key the rule names. */
function viableProtocols(rule: CheckedRule, facts: ProtocolFacts): { keys: string[]; candidates: string[]; viable: string[] } {
  const when = (rule.when ?? {}) as Record<string, unknown>;
  const keys = MATCH_KEYS.filter((k) => when[k] !== undefined);
  const candidates = rule.when?.protocol !== undefined ? [rule.when.protocol] : Object.keys(facts.matchKeys);
  const viable = candidates.filter((p) => keys.every((k) => (facts.matchKeys[p] ?? []).includes(k)));
  return { keys, candidates, viable };
}

function neverMatches(rule: CheckedRule, facts: ProtocolFacts, keys: string[]): RuleProblem {
  const protocol = rule.when?.protocol;
  if (protocol !== undefined) {
    const own = facts.matchKeys[protocol] ?? [];
    const key = keys.find((k) => !own.includes(k))!;
    return {
      path: ['when', key],
      message: `this rule can never match: a ${protocol} request has no ${key} (a ${protocol} rule matches on protocol, method, path${own.length ? `, ${own.join(', ')}` : ''})`,
    };
  }
  const has = keys.map((k) => `${k}: ${list(Object.keys(facts.matchKeys).filter((p) => facts.matchKeys[p].includes(k)))}`);
  return { path: ['when'], message: `this rule can never match: no protocol's requests have all of ${keys.join(', ')} (${has.join('; ')})` };
}

/** Problems of one answer (one step of a sequence) for the protocols the rule can match. */
function answerProblems(step: Record<string, unknown>, viable: string[], facts: ProtocolFacts): RuleProblem[] {
  const out: RuleProblem[] = [];
  for (const [part, owners] of Object.entries(facts.respondOwners)) {
    if (step[part] === undefined || viable.some((p) => owners.includes(p))) continue;
    out.push({ path: [part], message: `${part} is never used: it shapes ${list(owners)} answers, and this rule matches only ${list(viable)} requests` });
  }
  const fault = step.fault as string | undefined;
  const plain = ['status', 'body', 'headers'].filter((k) => step[k] !== undefined);
  if (fault !== undefined && SILENT_FAULTS.has(fault) && plain.length > 0) {
    out.push({
      path: ['fault'],
      message: `fault ${fault} sends no answer, so ${plain.join(', ')} would never be sent (fault empty sends the status and headers, truncate part of the body)`,
    });
  } else if (fault === 'empty' && step.body !== undefined) {
    out.push({ path: ['fault'], message: 'fault empty sends the status and headers without a body, so body would never be sent (fault truncate sends part of it)' });
  }
  return out;
}

/**
 * Everything wrong with one rule, each with its path inside the rule.
 * @example ruleProblems({ when: { protocol: 'cer', partner: 'windows' } }, facts) // [{ path: ['when', 'partner'], message: 'this rule can never match: …' }]
 */
export function ruleProblems(rule: CheckedRule, facts: ProtocolFacts): RuleProblem[] {
  const { keys, viable } = viableProtocols(rule, facts);
  if (keys.length > 0 && viable.length === 0) return [neverMatches(rule, facts, keys)];
  const steps = rule.respond === undefined ? [] : Array.isArray(rule.respond) ? rule.respond.map((r, i) => [[i], r] as const) : [[[], rule.respond] as const];
  return steps.flatMap(([at, step]) => answerProblems(step as Record<string, unknown>, viable, facts).map((p) => ({ ...p, path: ['respond', ...at, ...p.path] })));
}
