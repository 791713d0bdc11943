// The CER parts of a scenario (INTERFACE.md section 3): a rule's `respond.cer` (the level-1 answer's
// keys, MS-CER2 2.2.2) and the top-level `cer` (bucket numbering, authentication).

import { z } from 'zod';

const text = z.string();

export const CerRespondSchema = z.strictObject({
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

const AuthSchemeSchema = z.enum(['negotiate', 'ntlm', 'basic']);

/** One account the exchange checks NTLMv2 responses and Basic passwords against (no domain: any). */
export const CerCredentialSchema = z.strictObject({ user: text.min(1), domain: text.optional(), password: text });

export const CerScenarioSchema = z.strictObject({
  firstBucket: z.number().int().min(10).optional(),
  bucketTable: z.number().int().min(10).optional(),
  /** One scheme or a list, offered in that order, each in its own WWW-Authenticate (MS-CER2 1.7, 2.1). */
  requireAuth: z.union([AuthSchemeSchema, z.array(AuthSchemeSchema).min(1)]).optional(),
  credentials: z.array(CerCredentialSchema).min(1).optional(),
});

export type CerRespond = z.infer<typeof CerRespondSchema>;
export type CerScenario = z.infer<typeof CerScenarioSchema>;
export type CerCredential = z.infer<typeof CerCredentialSchema>;
