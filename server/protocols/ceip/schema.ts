// The CEIP part of a scenario (INTERFACE.md section 3): where the corporate redirect forwards.

import { z } from 'zod';

export const CeipScenarioSchema = z.strictObject({
  /** Base URL the CEIP redirect forwards to (the request's path and query are appended). */
  upstream: z.url({ protocol: /^https?$/ }).optional(),
  /** Partner URL → where to send it instead (e.g. the real service URL → this very mock). */
  partnerMap: z.record(z.string(), z.url({ protocol: /^https?$/ })).optional(),
});

export type CeipScenario = z.infer<typeof CeipScenarioSchema>;
