// The scenario document (INTERFACE.md section 3) as a zod schema: the one definition behind
// validation, the TypeScript types and the shipped JSON Schema (schema/scenario.schema.json).

import { z } from 'zod';
import { AsqmManifestSchema } from '../protocols/asqm-manifest/schema';

export const PROTOCOLS = ['sqm-v1', 'sqm-v2', 'asqm-manifest', 'ceip', 'cer', 'cer-level2', 'relay'] as const;
export const FAULTS = ['reset', 'close', 'empty', 'garbage', 'truncate', 'hang'] as const;

const uint32 = z.number().int().min(0).max(0xffffffff);
const text = z.string();

const WhenSchema = z.strictObject({
  protocol: z.enum(PROTOCOLS).optional(),
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

const SqmV1Schema = z.strictObject({
  throttleInterval: uint32.optional(),
  manifestVersion: uint32.optional(),
  fixedThrottle: z.boolean().optional(),
});

const V2Schema = z.strictObject({
  approve: z.strictObject({ lifetimeSeconds: z.number().positive().optional() }).optional(),
  throttle: z.strictObject({ period: uint32, namespace: z.enum(['root', 'svc', 'ptr', 'gp', 'app', 'all']) }).optional(),
  error: z.strictObject({ retrv: z.union([z.literal(0), z.literal(1)]), code: z.union([text, z.number().int()]).optional(), message: text.optional() }).optional(),
  none: z.literal(true).optional(),
});

const CerSchema = z.strictObject({
  iData: z.union([z.literal(0), z.literal(1)]).optional(),
  bucket: z.number().int().min(10).optional(),
  bucketTable: z.number().int().min(10).optional(),
  response: text.optional(),
  getFile: z.array(text).optional(),
  getFileVersion: z.array(text).optional(),
  wql: z.array(text).optional(),
  regKey: z.array(text).optional(),
  regTree: z.array(text).optional(),
  memoryDump: z.union([z.literal(0), z.literal(1)]).optional(),
  fDoc: z.union([z.literal(0), z.literal(1)]).optional(),
  dumpFile: text.optional(),
  spacedEquals: z.boolean().optional(),
});

export const RespondSchema = z.strictObject({
  status: z.number().int().min(100).max(599).optional(),
  body: text.optional(),
  headers: z.record(text, text).optional(),
  /** Wait this long before answering (ms), plus a seeded random 0..jitterMs. */
  delayMs: z.number().int().min(0).max(600_000).optional(),
  jitterMs: z.number().int().min(0).max(600_000).optional(),
  fault: z.enum(FAULTS).optional(),
  sqm: SqmV1Schema.optional(),
  v2: V2Schema.optional(),
  cer: CerSchema.optional(),
});

export const RuleSchema = z.strictObject({
  name: text.min(1).optional(),
  when: WhenSchema.optional(),
  /** Applies to the first N requests it answers, then falls through. */
  times: z.number().int().min(1).optional(),
  /** Chance (0..1) that a matching request is answered by this rule; seeded by `seed`. */
  probability: z.number().min(0).max(1).optional(),
  /** One answer, or a sequence used in turn (the last one repeats). */
  respond: z.union([RespondSchema, z.array(RespondSchema).min(1)]).optional(),
});

const ManifestSchema = AsqmManifestSchema;

const PartnerSchema = z.strictObject({
  maxUploadBytes: z.number().int().min(1).optional(),
  manifest: ManifestSchema.optional(),
});

export const ScenarioSchema = z.strictObject({
  name: text.optional(),
  /** Makes `probability` and `jitterMs` repeatable. */
  seed: z.number().int().optional(),
  strictness: z.enum(['strict', 'lenient']).optional(),
  tokens: z.strictObject({ lifetimeSeconds: z.number().positive().optional() }).optional(),
  /** When present, only these partners are known. */
  partners: z.record(text, PartnerSchema.nullable()).optional(),
  cer: z.strictObject({
    firstBucket: z.number().int().min(10).optional(),
    bucketTable: z.number().int().min(10).optional(),
    requireAuth: z.enum(['negotiate', 'ntlm', 'basic']).optional(),
  }).optional(),
  ceip: z.strictObject({
    /** Base URL the CEIP redirect forwards to (the request's path and query are appended). */
    upstream: z.url({ protocol: /^https?$/ }).optional(),
    /** Partner URL → where to send it instead (e.g. the real service URL → this very mock). */
    partnerMap: z.record(text, z.url({ protocol: /^https?$/ })).optional(),
  }).optional(),
  rules: z.array(RuleSchema).optional(),
});

export type Scenario = z.infer<typeof ScenarioSchema>;
export type RuleSpec = z.infer<typeof RuleSchema>;
export type RespondSpec = z.infer<typeof RespondSchema>;
export type WhenSpec = z.infer<typeof WhenSchema>;
export type PartnerSpec = z.infer<typeof PartnerSchema>;
export type FaultKind = (typeof FAULTS)[number];

/** The JSON Schema shipped for editors (draft 2020-12). */
export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ScenarioSchema, { target: 'draft-2020-12', io: 'input' }),
    title: 'sqm-cer-mock scenario',
  };
}
