// Scenario types and what the engine exchanges with protocol handlers: plain request facts in,
// a decision out. No HTTP objects. A module's own parts of the scenario are typed in its folder.

import type { FaultKind, RespondSpec } from './schema';

export { FAULTS } from './schema';
export type { ScenarioCore, RuleSpec, RespondSpec, RespondCore, WhenSpec, PartnerSpec, FaultKind } from './schema';
export type Strictness = 'strict' | 'lenient';

import type { MatchKey } from './rule-checks';

export { MATCH_KEYS, type MatchKey } from './rule-checks';

/** What a handler knows about a request; keys a protocol does not have stay undefined. */
export interface RequestFacts {
  protocol: string;
  method: string;
  /** Path and query as received. */
  path: string;
  partner?: string | null;
  command?: string;
  namespace?: { svc?: string; ptr?: string; gp?: string; app?: string };
  mid?: string | null;
  eventType?: string;
  appName?: string;
}

/**
 * The facts a route gives the engine: exactly its declared match keys (each may be undefined for one
 * request). Written `decide({ … } satisfies RouteFacts<…>)`, a key given but not declared, or declared
 * but not given, fails the typecheck: so the route's `matchKeys` (which the scenario loader uses to
 * refuse rules that can never match) are what the engine really sees.
 */
export type RouteFacts<K extends MatchKey> = Pick<RequestFacts, 'protocol' | 'method' | 'path'> & { [P in K]-?: RequestFacts[P] | undefined };

/** How the answer is delivered: after a delay, or replaced by a fault. */
export interface Delivery {
  delayMs: number;
  fault?: FaultKind;
  /** Seeds the random bytes of a `garbage` fault (repeatable with the scenario's seed). */
  faultSeed: number;
}

export interface Decision {
  /** Name of the rule that matched (its `name`, else `rules[i]`), or null for the default answer. */
  ruleName: string | null;
  /** The rule's answer for this request (the current step of a sequence), or null. */
  respond: RespondSpec | null;
  delivery: Delivery;
}
