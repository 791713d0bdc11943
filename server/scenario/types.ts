// The scenario document (INTERFACE.md section 3): what the mock answers, per rule.
// Every key is optional; an empty scenario is the built-in happy path.

export const PROTOCOLS = ['sqm-v1', 'sqm-v2', 'asqm-manifest', 'ceip', 'cer', 'cer-level2', 'relay'] as const;
export type ProtocolName = (typeof PROTOCOLS)[number];

export type Strictness = 'strict' | 'lenient';

export interface ManifestSpec {
  version: number;
  expires?: string;
  [key: string]: unknown;
}

export interface PartnerSpec {
  maxUploadBytes?: number;
  manifest?: ManifestSpec;
}

export interface WhenSpec {
  protocol?: ProtocolName;
  partner?: string;
  method?: string;
  /** Path without query, case-insensitive; `*` matches any run of characters. */
  path?: string;
  [key: string]: unknown;
}

export interface SqmV1Respond {
  throttleInterval?: number;
  manifestVersion?: number;
  /** 403: the fixed 14-day throttle (MS-SQMCS 2.2.5). */
  fixedThrottle?: boolean;
}

export interface RespondSpec {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  sqm?: SqmV1Respond;
  [key: string]: unknown;
}

export interface RuleSpec {
  name?: string;
  when?: WhenSpec;
  times?: number;
  respond?: RespondSpec;
}

export interface Scenario {
  name?: string;
  seed?: number;
  strictness?: Strictness;
  partners?: Record<string, PartnerSpec>;
  rules?: RuleSpec[];
  [key: string]: unknown;
}

/** What a handler tells the engine about a request; no HTTP objects. */
export interface RequestFacts {
  protocol: string;
  method: string;
  path: string;
  partner?: string | null;
}

export interface Decision {
  /** Name of the rule that answered (its `name`, else `rules[i]`), or null for the default answer. */
  ruleName: string | null;
  respond: RespondSpec | null;
}
