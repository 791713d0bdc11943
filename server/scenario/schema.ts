// The scenario document (INTERFACE.md section 3) as a zod schema: the core keys here, each protocol
// module's keys from its own folder, composed by composeScenarioSchema (protocols/scenario.ts does it
// for the registry). The one definition behind validation, the types and the shipped JSON Schema.

import { z } from 'zod';
import { ruleProblems, type ProtocolFacts } from './rule-checks';

export const FAULTS = ['reset', 'close', 'empty', 'garbage', 'truncate', 'hang'] as const;

const text = z.string();
type Shape = Record<string, z.ZodType>;

const optional = <S extends Shape>(shape: S): { [K in keyof S]: z.ZodOptional<S[K]> } =>
  Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, v.optional()])) as { [K in keyof S]: z.ZodOptional<S[K]> };

const whenSchema = (protocols: readonly [string, ...string[]]) =>
  z.strictObject({
    protocol: z.enum(protocols).optional(),
    partner: text.optional(),
    method: text.optional(),
    /** Path without the query, case-insensitive; `*` matches any run of characters. */
    path: text.optional(),
    command: text.optional(),
    namespace: z.strictObject({ svc: text.optional(), ptr: text.optional(), gp: text.optional(), app: text.optional() }).optional(),
    /** Machine id (SQM ClientUniqueIdentifier / v2 `mid`), braces and case ignored. */
    mid: text.optional(),
    eventType: text.optional(),
    appName: text.optional(),
  });

/** The keys of `respond` every protocol understands: a plain answer, its delay, its fault. */
export const RESPOND_CORE = {
  status: z.number().int().min(100).max(599).optional(),
  body: text.optional(),
  headers: z.record(text, text).optional(),
  /** Wait this long before answering (ms), plus a seeded random 0..jitterMs. */
  delayMs: z.number().int().min(0).max(600_000).optional(),
  jitterMs: z.number().int().min(0).max(600_000).optional(),
  fault: z.enum(FAULTS).optional(),
};

const respondSchema = <R extends Shape>(parts: R) => z.strictObject({ ...RESPOND_CORE, ...optional(parts) });

const ruleSchema = <R extends Shape>(protocols: readonly [string, ...string[]], parts: R) => {
  const respond = respondSchema(parts);
  return z.strictObject({
    name: text.min(1).optional(),
    when: whenSchema(protocols).optional(),
    /** Applies to the first N requests it answers, then falls through. */
    times: z.number().int().min(1).optional(),
    /** Chance (0..1) that a matching request is answered by this rule; seeded by `seed`. */
    probability: z.number().min(0).max(1).optional(),
    /** One answer, or a sequence used in turn (the last one repeats). */
    respond: z.union([respond, z.array(respond).min(1)]).optional(),
  });
};

export interface SchemaParts<R extends Shape, T extends Shape, P extends Shape> {
  /** Protocol names `when.protocol` may take. */
  protocols: readonly [string, ...string[]];
  respond: R;
  scenario: T;
  partner: P;
  /** What each protocol's requests have and which `respond` part it reads: rules that can never work are refused. */
  facts?: ProtocolFacts;
}

/** Issues with `params.said` are said as they are (no ", got …" after them). */
export const SAID = { said: true } as const;

/** The whole scenario schema from the core and the modules' parts. */
export function composeScenarioSchema<R extends Shape, T extends Shape, P extends Shape>(parts: SchemaParts<R, T, P>) {
  const partner = z.strictObject({ maxUploadBytes: z.number().int().min(1).optional(), ...optional(parts.partner) });
  return z
    .strictObject({
      name: text.optional(),
      /** Makes `probability` and `jitterMs` repeatable. */
      seed: z.number().int().optional(),
      strictness: z.enum(['strict', 'lenient']).optional(),
      /** The mock's clock starts at this instant when the scenario is loaded (INTERFACE.md section 5). */
      clock: z.strictObject({ start: z.iso.datetime({ offset: true }) }).optional(),
      /** When present, only these partners are known. */
      partners: z.record(text, partner.nullable()).optional(),
      ...optional(parts.scenario),
      rules: z.array(ruleSchema(parts.protocols, parts.respond)).optional(),
    })
    .superRefine((s, ctx) => {
      if (!parts.facts) return;
      ((s as { rules?: RuleSpec[] }).rules ?? []).forEach((rule, i) => {
        for (const p of ruleProblems(rule, parts.facts!)) {
          const named = rule.name === undefined ? '' : `rule "${rule.name}": `;
          ctx.addIssue({ code: 'custom', path: ['rules', i, ...p.path], message: `${named}${p.message}`, params: SAID });
        }
      });
    });
}

/** What the engine and every protocol read of any scenario (modules read their own parts). */
export type RespondCore = { [K in keyof typeof RESPOND_CORE]?: z.infer<(typeof RESPOND_CORE)[K]> };
export type RespondSpec = RespondCore & Record<string, unknown>;
export type WhenSpec = z.infer<ReturnType<typeof whenSchema>>;
export interface PartnerSpec {
  maxUploadBytes?: number;
  [part: string]: unknown;
}
export interface RuleSpec {
  name?: string;
  when?: WhenSpec;
  times?: number;
  probability?: number;
  respond?: RespondSpec | RespondSpec[];
}
export interface ScenarioCore {
  name?: string;
  seed?: number;
  strictness?: 'strict' | 'lenient';
  clock?: { start: string };
  partners?: Record<string, PartnerSpec | null>;
  rules?: RuleSpec[];
  [part: string]: unknown;
}
export type FaultKind = (typeof FAULTS)[number];

/** The JSON Schema shipped for editors (draft 2020-12) of a composed scenario schema. */
export function toScenarioJsonSchema(schema: z.ZodType): Record<string, unknown> {
  return {
    ...z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }),
    title: 'sqm-cer-mock scenario',
  };
}
