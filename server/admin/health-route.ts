// The health answer: {"status":"ok"}, or 503 with the reason while captures cannot be committed.
// Served at /__admin/health (behind --admin-token like every admin route) and at /__health, which
// needs no token, for probes that hold none (a Docker HEALTHCHECK, a CI services: readiness check).

import type { Request, Response } from 'express';
import type { MockContext } from '../context';
import { sendJson } from './json';

/** The path of the health route that needs no token (main listener only). */
export const OPEN_HEALTH_PATH = '/__health';

// 503 while degraded, so a plain HTTP probe (docker, k8s readiness) sees it too.
export const healthRoute =
  (ctx: MockContext) =>
  (_req: Request, res: Response): void => {
    const health = ctx.store.health;
    sendJson(res, health.status === 'ok' ? 200 : 503, health);
  };
