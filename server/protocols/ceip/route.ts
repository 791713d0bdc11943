// CEIP corporate redirect (MS-CCEIP 3.1): POST /?partner=<service url>. A missing or invalid
// partner gets 400 (3.1.3); a valid one is captured and, when an upstream is configured, forwarded
// there with the upstream's status passed back (502 when it cannot be reached). Uploading data
// again after a success breaks 3.1.7 and is recorded.

import { createHash } from 'node:crypto';
import type { MockContext } from '../../context';
import { answered, plainAnswer, refusal } from '../../core/answer';
import type { ProtocolRoute } from '../../core/module';
import type { Outcome, WireRequest } from '../../core/types';
import { textAnswer } from '../../core/types';
import type { FindingRecord } from '../../store';
import { forwardRow } from '../../upstream/capture';
import { forward, forwardHeaders, passHeaders } from '../../upstream/forward';
import { partnerFromQuery } from './partner';
import { conversationFinding } from '../../conversation';
import { findingFor } from './rules';
import type { CeipScenario } from './schema';
import type { CeipState } from './state';

export const ceipRoute: ProtocolRoute<CeipState> = {
  name: 'ceip',
  claims: (head) => head.pathname === '/' && (head.method === 'POST' || /(^|&)partner=/i.test(head.query.toString())),
  bodyLimit: () => 20 * 1024 * 1024,
  handle: (req, ctx, state) => handleCeip(req, ctx, state),
};

/** Where to send it: a partnerMap entry for this partner URL, else the upstream base + path and query. */
export function ceipTarget(ctx: MockContext, partner: string, url: string): string | null {
  const ceip = ctx.engine.scenario.ceip as CeipScenario | undefined;
  const map = ceip?.partnerMap ?? {};
  if (Object.prototype.hasOwnProperty.call(map, partner)) return map[partner];
  const base = ceip?.upstream ?? ctx.config.upstream;
  return base ? base.replace(/\/+$/, '') + url : null;
}

async function handleCeip(req: WireRequest, ctx: MockContext, state: CeipState): Promise<Outcome> {
  const q = req.url.indexOf('?');
  const parsed = partnerFromQuery(q < 0 ? '' : req.url.slice(q + 1));
  const base = { protocol: 'ceip' as const, partner: parsed.ok ? parsed.url : null };
  if (req.method !== 'POST') {
    const f = findingFor('ceip.method', `sent with ${req.method}`);
    return { ...base, ...refusal('ceip', 405, f, { text: `ceip.method (${f.specRef}): CEIP data is sent with POST, got ${req.method}`, headers: { allow: 'POST' } }) };
  }
  if (!parsed.ok) {
    return { ...base, ...refusal('ceip', 400, findingFor('ceip.partner', parsed.reason)) };
  }
  const sha = createHash('sha256').update(req.body).digest('hex');
  const findings: FindingRecord[] = [];
  const earlier = state.successBefore(sha);
  const clientKey = `${req.remoteAddress ?? 'unknown'} ${parsed.url}`;
  if (earlier !== undefined) {
    const f = findingFor('ceip.resent', `the same CEIP data was forwarded with success by request ${earlier} and uploaded again`);
    findings.push(conversationFinding('ceip', clientKey, f, { requestId: earlier }));
  }
  const decision = ctx.engine.decide({ protocol: 'ceip', method: req.method, path: req.url, partner: parsed.url });
  const plain = plainAnswer(decision);
  if (plain) return { ...base, ...answered(decision, plain, true), findings };
  const outcome = { ...base, clientKey, findings };
  const ruled = (answer: Outcome['answer']) => answered(decision, answer, true);
  const target = ceipTarget(ctx, parsed.url, req.url);
  if (!target) return { ...outcome, ...ruled({ status: 200, headers: {}, body: Buffer.alloc(0) }) };
  const headers = forwardHeaders(req.rawHeaders);
  const res = await forward({ url: target, method: 'POST', headers, body: req.body, ca: ctx.upstreamCa });
  const rows = [forwardRow({ url: target, method: 'POST', headers, body: req.body, sha256: sha }, res)];
  if (res.status === null) return { ...outcome, rows, ...ruled(textAnswer(502, `ceip.upstream: ${target} could not be reached (${res.error})`)) };
  return { ...outcome, rows, ...ruled({ status: res.status, headers: passHeaders(res.headers), body: res.body }) };
}
