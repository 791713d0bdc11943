// The SQM v2 parts of a scenario (INTERFACE.md section 3): a rule's `respond.v2` (approve, throttle,
// error, none: MS-SQMCS2 2.2.3.6) and the top-level `tokens` (their lifetime).

import { z } from 'zod';

const uint32 = z.number().int().min(0).max(0xffffffff);

export const V2RespondSchema = z
  .strictObject({
    approve: z.strictObject({ lifetimeSeconds: z.number().positive().optional() }).optional(),
    throttle: z.strictObject({ period: uint32, namespace: z.enum(['root', 'svc', 'ptr', 'gp', 'app', 'all']) }).optional(),
    error: z.strictObject({ retrv: z.union([z.literal(0), z.literal(1)]), code: z.union([z.string(), z.number().int()]).optional(), message: z.string().optional() }).optional(),
    none: z.literal(true).optional(),
  })
  // Answers that exclude each other (handle.ts): `error` answers every command, so nothing beside
  // it is ever sent; a requpload gets `throttle` or `approved`, never both.
  .superRefine((v, ctx) => {
    const others = (['approve', 'throttle', 'none'] as const).filter((k) => v[k] !== undefined);
    if (v.error !== undefined && others.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['error'],
        params: { said: true },
        message: `error answers every command, so ${others.join(', ')} would never be sent: give one or the other`,
      });
    } else if (v.approve !== undefined && v.throttle !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['throttle'],
        params: { said: true },
        message: 'a requpload gets throttle or approved (MS-SQMCS2 2.2.3.6), not both: throttle wins, so approve would never be sent',
      });
    }
  });

export const TokensSchema = z.strictObject({ lifetimeSeconds: z.number().positive().optional() });

export type V2Respond = z.infer<typeof V2RespondSchema>;
export type TokensSpec = z.infer<typeof TokensSchema>;
