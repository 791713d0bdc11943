// Authentication in front of both CER handlers (`cer.requireAuth`, MS-CER2 1.7, 2.1): a 401 leg
// ends the request there; an authenticated one goes on, and who it authenticated as is stored with it.

import type { MockContext } from '../../context';
import type { Outcome, WireRequest } from '../../core/types';
import type { CaptureRow } from '../../store';
import { authenticate } from './auth';
import type { AuthIdentity } from './auth-connections';
import type { CerModuleState } from './claims';
import type { CerScenario } from './schema';

export const authRow = (who: AuthIdentity): CaptureRow => ({ stmt: 'cer:auth', params: { ...who, verified: who.verified === null ? null : who.verified ? 1 : 0 } });

/** Runs the exchange for this request; `handle` only when it is authenticated (or no scheme is required). */
export function withAuth(req: WireRequest, ctx: MockContext, state: CerModuleState, protocol: string, handle: () => Outcome): Outcome {
  const cer = (ctx.engine.scenario.cer as CerScenario | undefined) ?? {};
  if (!cer.requireAuth) return handle();
  const a = authenticate(req, state.auth, {
    schemes: Array.isArray(cer.requireAuth) ? cer.requireAuth : [cer.requireAuth],
    credentials: cer.credentials,
    tls: Boolean(ctx.config.tlsCert),
    seed: ctx.engine.scenario.seed ?? 0,
    now: ctx.clock.now(),
    protocol,
  });
  if (a.challenge) return { protocol, partner: null, answer: a.challenge, findings: a.findings };
  const o = handle();
  return { ...o, findings: [...a.findings, ...(o.findings ?? [])], rows: a.identity ? [...(o.rows ?? []), authRow(a.identity)] : o.rows };
}
