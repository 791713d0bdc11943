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

export const CerScenarioSchema = z.strictObject({
  firstBucket: z.number().int().min(10).optional(),
  bucketTable: z.number().int().min(10).optional(),
  requireAuth: z.enum(['negotiate', 'ntlm', 'basic']).optional(),
});

export type CerRespond = z.infer<typeof CerRespondSchema>;
export type CerScenario = z.infer<typeof CerScenarioSchema>;
