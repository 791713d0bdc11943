// The SQM v1 part of a scenario rule's answer (`respond.sqm`, INTERFACE.md section 3): the 201's
// ThrottleInterval and ManifestVersion (MS-SQMCS 2.2.5), or the 403 fixed throttle.

import { z } from 'zod';

const uint32 = z.number().int().min(0).max(0xffffffff);

export const SqmV1RespondSchema = z.strictObject({
  throttleInterval: uint32.optional(),
  manifestVersion: uint32.optional(),
  fixedThrottle: z.boolean().optional(),
});

export type SqmV1Respond = z.infer<typeof SqmV1RespondSchema>;
