// The SQM v1 part of a scenario rule's answer (`respond.sqm`, INTERFACE.md section 3): the 201's
// ThrottleInterval and ManifestVersion (MS-SQMCS 2.2.5), or the 403 fixed throttle.

import { z } from 'zod';

const uint32 = z.number().int().min(0).max(0xffffffff);

export const SqmV1RespondSchema = z
  .strictObject({
    throttleInterval: uint32.optional(),
    /** `null`: no ManifestVersion, not even the announcement a throttle is combined with by default. */
    manifestVersion: uint32.nullable().optional(),
    fixedThrottle: z.boolean().optional(),
  })
  // MS-SQMCS 3.1.5.2.2: a 201 MUST carry ThrottleInterval and/or ManifestVersion; a block naming
  // neither (nor the 403) would send an empty 201, so it is refused when the scenario is loaded.
  .refine((s) => s.throttleInterval !== undefined || typeof s.manifestVersion === 'number' || s.fixedThrottle === true, {
    message:
      'expected a mapping with throttleInterval, a manifestVersion number or fixedThrottle: true (a 201 MUST carry ThrottleInterval and/or ManifestVersion, MS-SQMCS 3.1.5.2.2)',
  })
  // The 403 is a fixed 14-day throttle (MS-SQMCS 3.1.5.2.3); a ThrottleInterval is the 201's (3.1.5.2.2).
  .refine((s) => !(s.fixedThrottle === true && s.throttleInterval !== undefined), {
    path: ['fixedThrottle'],
    params: { said: true },
    message: 'fixedThrottle (a 403: a fixed 14-day throttle, MS-SQMCS 3.1.5.2.3) and throttleInterval (a 201 throttle of N days, 3.1.5.2.2) exclude each other: give one',
  });

export type SqmV1Respond = z.infer<typeof SqmV1RespondSchema>;
