// CEIP corporate redirect (MS-CCEIP 3.1): POST <any path>?partner=<service url> (3.1.1: the
// CorporateSQMUrl may be any URL). A missing or invalid partner gets 400 (3.1.3); a valid one is
// captured, its SQM sessions (if the data is SQM) stored like SQM sessions, and, when an upstream is
// configured, forwarded there with the upstream's status passed back (502 when it cannot be
// reached or its answer breaks, 504 when it is too slow). Uploading data again after a success
// breaks 3.1.7 and is recorded.

import { createHash } from 'node:crypto';
import type { MockContext } from '../../context';
import { answered, plainAnswer, refusal } from '../../core/answer';
import type { ProtocolRoute } from '../../core/module';
import type { RouteFacts } from '../../scenario/types';
import type { Outcome, WireRequest } from '../../core/types';
import type { Decision } from '../../scenario/types';
import type { CaptureRow, FindingRecord } from '../../store';
import { forwardRow } from '../../upstream/capture';
import { forwardSettings, upstreamAnswer } from '../../upstream/answer';
import { forward, forwardHeaders } from '../../upstream/forward';
import { partnerFromQuery } from './partner';
import { ceipSessions } from './sqm-data';
import { prefetchFallback } from '../../cab';
import { conversationFinding } from '../../conversation';
import { findingFor } from './rules';
import type { CeipScenario } from './schema';
import type { CeipState } from './state';

/** Paths of the other protocols and the admin API: never CEIP, whatever their query says. */
const OTHER_PROTOCOLS = /^\/(?:sqm\/|stage2\.htm$|__admin(?:\/|$))/i;
const hasPartner = (url: string) => {
  const q = url.indexOf('?');
  return q >= 0 && /(?:^|&)partner=/i.test(url.slice(q + 1));
};

/** `partner` is the service URL of the `partner=` query (MS-CCEIP 2.2). */
const MATCH_KEYS = ['partner'] as const;

export const ceipRoute: ProtocolRoute<CeipState> = {
  name: 'ceip',
  matchKeys: MATCH_KEYS,
  /**
   * `/` (POST, or anything with a partner: refused with 405), and a POST with `partner=` on any
   * other path but those of SQM (`/sqm/…`), CER level 1 (`/stage2.htm`) and the admin API. CER
   * level-2 uploads are PUTs, so an issued DumpFile path is never claimed.
   */
  claims: (head) =>
    head.pathname === '/' ? head.method === 'POST' || hasPartner(head.url) : head.method === 'POST' && hasPartner(head.url) && !OTHER_PROTOCOLS.test(head.pathname),
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
  const decision = ctx.engine.decide({ protocol: 'ceip', method: req.method, path: req.url, partner: parsed.url } satisfies RouteFacts<(typeof MATCH_KEYS)[number]>);
  const plain = plainAnswer(decision);
  const result = plain ? { outcome: { ...base, ...answered(decision, plain, true) }, rows: [] } : await relayed(req, ctx, decision, parsed.url, sha);
  const withClient = plain ? result.outcome : { ...result.outcome, clientKey };
  const status = withClient.answer.status;
  const maxRawBytes = ctx.engine.maxUploadBytes(null);
  const fallback = await prefetchFallback(req.body, ctx.cabextract, maxRawBytes);
  const sqm = ceipSessions(req, parsed.url, { accepted: status >= 200 && status <= 299, maxRawBytes, fallback });
  return { ...withClient, findings: [...findings, ...(withClient.findings ?? []), ...sqm.findings], rows: [...result.rows, ...sqm.rows] };
}

/** The default answer: 200 without an upstream, else the upstream's (502/504 when it cannot be reached or its answer breaks). */
async function relayed(req: WireRequest, ctx: MockContext, decision: Decision, partnerUrl: string, sha: string): Promise<{ outcome: Outcome; rows: CaptureRow[] }> {
  const base = { protocol: 'ceip' as const, partner: partnerUrl };
  const ruled = (answer: Outcome['answer']) => ({ ...base, ...answered(decision, answer, true) });
  const target = ceipTarget(ctx, partnerUrl, req.url);
  if (!target) return { outcome: ruled({ status: 200, headers: {}, body: Buffer.alloc(0) }), rows: [] };
  const headers = forwardHeaders(req.rawHeaders);
  const res = await forward({ url: target, method: 'POST', headers, body: req.body, ...forwardSettings(ctx) });
  const rows = [forwardRow({ url: target, method: 'POST', headers, body: req.body, sha256: sha }, res)];
  const { answer, findings } = upstreamAnswer('ceip', target, res);
  return { outcome: { ...ruled(answer), findings }, rows };
}
