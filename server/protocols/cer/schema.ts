// The CER parts of a scenario (INTERFACE.md section 3): a rule's `respond.cer` (the level-1 answer's
// keys and form, MS-CER2 2.2.2) and the top-level `cer` (bucket numbering, authentication).

import { z } from 'zod';
import { ANSWER_KEYS } from './types';

const text = z.string();
/** MS-CER2 2.2.2 prose: "a positive decimal integer" (the 4.x examples send `BucketTable = 5`). */
const positive = z.number().int().min(1);
const answerKey = z.enum(ANSWER_KEYS, { message: `expected a key of MS-CER2 2.2.2: ${ANSWER_KEYS.join(', ')}` });
/** A key the document does not list, sent as given: one line `Key=Value`, so no "=" in the key and no CR/LF. */
const EXTRA_KEY = /^[^=\r\n]+$/;
const extraValue = z.union([text.regex(/^[^\r\n]*$/, 'expected a value without CR or LF (it would end the line)'), z.number()]);

export const CerRespondSchema = z
  .strictObject({
    iData: z.union([z.literal(0), z.literal(1)]).optional(),
    bucket: positive.optional(),
    bucketTable: positive.optional(),
    response: text.optional(),
    getFile: z.array(text).optional(),
    getFileVersion: z.array(text).optional(),
    wql: z.array(text).optional(),
    regKey: z.array(text).optional(),
    regTree: z.array(text).optional(),
    memoryDump: z.union([z.literal(0), z.literal(1)]).optional(),
    fDoc: z.union([z.literal(0), z.literal(1)]).optional(),
    dumpFile: text.optional(),
    /** Keys (MS-CER2 2.2.2 names) left out of the answer. */
    omit: z.array(answerKey).optional(),
    /** The order of the keys (document or extra ones); keys not listed follow in the document's order. */
    order: z.array(text).optional(),
    /** ` = ` for every key (true) or for those listed. */
    spacedEquals: z.union([z.boolean(), z.array(text)]).optional(),
    /** Keys the document does not list (`DumpServer`, `ModuleInfo`), sent verbatim after the listed ones. */
    extra: z.record(z.string().regex(EXTRA_KEY, 'expected a key without "=" or CR/LF'), extraValue).optional(),
  })
  .superRefine((r, ctx) => {
    const known = new Set<string>([...ANSWER_KEYS, ...Object.keys(r.extra ?? {})]);
    const listed = (field: 'order' | 'spacedEquals', keys: readonly string[]): void =>
      keys.forEach((k, n) => {
        if (!known.has(k)) ctx.addIssue({ code: 'custom', path: [field, n], input: k, message: `expected a key of MS-CER2 2.2.2 (${ANSWER_KEYS.join(', ')}) or of extra` });
        else if (keys.indexOf(k) !== n) ctx.addIssue({ code: 'custom', path: [field, n], input: k, message: `expected each key once (listed before)` });
      });
    listed('order', r.order ?? []);
    if (Array.isArray(r.spacedEquals)) listed('spacedEquals', r.spacedEquals);
    for (const k of Object.keys(r.extra ?? {})) {
      if ((ANSWER_KEYS as readonly string[]).includes(k)) {
        ctx.addIssue({ code: 'custom', path: ['extra', k], input: k, message: `expected a key MS-CER2 2.2.2 does not list (set ${k} with its own key)` });
      }
    }
  });

const AuthSchemeSchema = z.enum(['negotiate', 'ntlm', 'basic']);

/** One account the exchange checks NTLMv2 responses and Basic passwords against (no domain: any). */
export const CerCredentialSchema = z.strictObject({ user: text.min(1), domain: text.optional(), password: text });

export const CerScenarioSchema = z.strictObject({
  firstBucket: positive.optional(),
  bucketTable: positive.optional(),
  /** One scheme or a list, offered in that order, each in its own WWW-Authenticate (MS-CER2 1.7, 2.1). */
  requireAuth: z.union([AuthSchemeSchema, z.array(AuthSchemeSchema).min(1)]).optional(),
  credentials: z.array(CerCredentialSchema).min(1).optional(),
});

export type CerRespond = z.infer<typeof CerRespondSchema>;
export type CerScenario = z.infer<typeof CerScenarioSchema>;
export type CerCredential = z.infer<typeof CerCredentialSchema>;
