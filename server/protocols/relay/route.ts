// The SQM relay (Windows Feedback Forwarder role, MS-SQMCS 3.3, MS-SQMCS2 3.3) on --relay-port:
// every request goes on to --upstream (path and query appended); SQM sessions are augmented on the
// way, anything else is forwarded byte for byte; the upstream's answer comes back unchanged.
// Both legs are captured. A scenario rule for protocol `relay` can answer or fault the client leg.

import { createHash } from 'node:crypto';
import type { MockContext } from '../../context';
import type { Outcome, RequestHead, WireRequest } from '../../http/types';
import { textAnswer } from '../../http/types';
import type { FindingRecord } from '../../store/records';
import { forward, forwardHeaders, passHeaders } from '../../upstream/forward';
import { looksLikeV2 } from '../../codecs/sqm-v2-message/framing';
import { augmentSession } from './augment';
import { augmentV2 } from './augment-v2';

const XML_AND_PAYLOAD = 20 * 1024 * 1024 + (1 << 20) + 4;
const MSQM = Buffer.from('MSQM', 'latin1');

export const relayRoute = {
  name: 'relay',
  claims: (_head: RequestHead): boolean => true,
  bodyLimit: (): number => XML_AND_PAYLOAD,
  handle: (req: WireRequest, ctx: MockContext): Promise<Outcome> => handleRelay(req, ctx),
};

const note = (rule: string, message: string): FindingRecord => ({ protocol: 'relay', rule, specRef: 'MS-SQMCS 3.3.5', level: 'info', message });

/** What the relay sends on: the augmented message, or the body unchanged, and why. */
function transform(req: WireRequest, ctx: MockContext): { body: Buffer; finding: FindingRecord } {
  const mark = { id: ctx.config.relayDatapointId, value: ctx.config.relayDatapointValue };
  const limit = ctx.engine.maxUploadBytes(null);
  if (req.bodyTruncated) return { body: req.body, finding: note('relay.passthrough', 'body over the relay limit: only its prefix was kept; forwarded as kept') };
  if (req.body.subarray(0, 4).equals(MSQM)) {
    const out = augmentSession(req.body, mark, limit);
    if (out) return { body: out, finding: note('relay.augmented', `SQM v1 session: data point ${mark.id}=${mark.value} added, Flags bit 7 set`) };
    return { body: req.body, finding: note('relay.passthrough', 'SQM v1 session the relay could not decode cleanly: forwarded byte for byte') };
  }
  if (looksLikeV2(req.body)) {
    const out = augmentV2(req.body, mark, limit);
    if (out) return { body: out, finding: note('relay.augmented', `SQM v2 dataupload: every session got data point ${mark.id}=${mark.value}; offsets and sizes rewritten`) };
    return { body: req.body, finding: note('relay.passthrough', 'SQM v2 message without sessions to augment (or unreadable): forwarded byte for byte') };
  }
  return { body: req.body, finding: note('relay.passthrough', 'not an SQM payload: forwarded byte for byte') };
}

async function handleRelay(req: WireRequest, ctx: MockContext): Promise<Outcome> {
  const base = { protocol: 'relay' as const, partner: null };
  const decision = ctx.engine.decide({ protocol: 'relay', method: req.method, path: req.url });
  const r = decision.respond;
  const outcome = { ...base, ruleName: decision.ruleName, delivery: decision.delivery };
  if (r && (r.status ?? r.body ?? r.headers) !== undefined) {
    return { ...outcome, answer: { status: r.status ?? 200, headers: { ...(r.headers ?? {}) }, body: Buffer.from(r.body ?? '', 'utf8') } };
  }
  const { body, finding } = transform(req, ctx);
  const target = ctx.config.upstream!.replace(/\/+$/, '') + req.url;
  const headers = forwardHeaders(req.rawHeaders);
  const res = await forward({ url: target, method: req.method, headers, body, ca: ctx.upstreamCa });
  const fw = {
    url: target, method: req.method, requestHeaders: headers, requestBody: body, requestSha256: createHash('sha256').update(body).digest('hex'),
    status: res.status, responseHeaders: res.headers, responseBody: res.body, error: res.error, durationMs: res.durationMs,
  };
  if (res.status === null) return { ...outcome, findings: [finding], forward: fw, answer: textAnswer(502, `relay.upstream: ${target} could not be reached (${res.error})`) };
  return { ...outcome, findings: [finding], forward: fw, answer: { status: res.status, headers: passHeaders(res.headers), body: res.body } };
}
