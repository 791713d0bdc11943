// The SQM relay (Windows Feedback Forwarder role, MS-SQMCS 3.3, MS-SQMCS2 3.3) on --relay-port:
// every request goes on to --upstream (path and query appended); SQM sessions are augmented on the
// way, anything else is forwarded byte for byte, and a body over what it buffers is streamed on as
// it arrives (not augmented); the upstream's answer comes back unchanged (502/504 when it breaks).
// Both legs are captured. A scenario rule for protocol `relay` can answer or fault the client leg.

import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import type { MockContext } from '../../context';
import { answered, plainAnswer, refusal } from '../../core/answer';
import type { ProtocolRoute } from '../../core/module';
import type { RouteFacts } from '../../scenario/types';
import type { Outcome, WireRequest } from '../../core/types';
import type { FindingRecord } from '../../store';
import { forwardRow } from '../../upstream/capture';
import { forwardSettings, upstreamAnswer } from '../../upstream/answer';
import { forward, forwardHeaders } from '../../upstream/forward';
import { looksLikeV2 } from '../../codecs/sqm-v2-message/framing';
import { prefetchFallback } from '../../cab';
import { augmentSession } from './augment';
import { augmentV2 } from './augment-v2';
import { findingFor, type RelayRule } from './rules';

const XML_AND_PAYLOAD = 20 * 1024 * 1024 + (1 << 20) + 4;
const MSQM = Buffer.from('MSQM', 'latin1');

export const relayRoute: ProtocolRoute = {
  name: 'relay',
  matchKeys: [],
  /** The relay listener has this route alone; it takes everything sent there. */
  listeners: ['relay'],
  claims: () => true,
  bodyLimit: () => XML_AND_PAYLOAD,
  /** What it cannot hold goes on as it arrives, byte for byte (not augmented). */
  streamsOverLimit: true,
  handle: async (req, ctx) => handleRelay(req.bodyStream ? req : { ...req, cabFallback: await prefetchFallback(req.body, ctx.cabextract, ctx.engine.maxUploadBytes(null)) }, ctx),
};

const note = (rule: RelayRule, message: string): FindingRecord => ({ ...findingFor(rule, message), protocol: 'relay' });

/** What the relay sends on: the augmented message, or the body unchanged (maybe as a stream), and why. */
function transform(req: WireRequest, ctx: MockContext): { body: Buffer | Readable; finding: FindingRecord } {
  const mark = { id: ctx.config.relayDatapointId, value: ctx.config.relayDatapointValue };
  const limit = ctx.engine.maxUploadBytes(null);
  if (req.bodyStream) {
    const message = `body over the ${XML_AND_PAYLOAD}-byte relay buffer: streamed on byte for byte, not augmented (no relay data point added)`;
    return { body: req.bodyStream.readable, finding: note('relay.not-augmented', message) };
  }
  if (req.bodyTruncated) return { body: req.body, finding: note('relay.not-augmented', 'body over the relay limit and not streamed: only its prefix was kept; forwarded as kept') };
  if (req.body.subarray(0, 4).equals(MSQM)) {
    const out = augmentSession(req.body, mark, limit, req.cabFallback);
    if (out) return { body: out, finding: note('relay.augmented', `SQM v1 session: data point ${mark.id}=${mark.value} added, Flags bit 7 set`) };
    return { body: req.body, finding: note('relay.passthrough', 'SQM v1 session the relay could not decode cleanly: forwarded byte for byte') };
  }
  if (looksLikeV2(req.body)) {
    const out = augmentV2(req.body, mark, limit, req.cabFallback);
    if (out) return { body: out, finding: note('relay.augmented', `SQM v2 dataupload: every session got data point ${mark.id}=${mark.value}; offsets and sizes rewritten`) };
    return { body: req.body, finding: note('relay.passthrough', 'SQM v2 message without sessions to augment (or unreadable): forwarded byte for byte') };
  }
  return { body: req.body, finding: note('relay.passthrough', 'not an SQM payload: forwarded byte for byte') };
}

/**
 * A path that names the admin API (an upstream mock's `/__admin`), however it is spelled: percent-
 * encoded, in another case, with doubled or back slashes, dot segments or in absolute form.
 */
export function isAdminTarget(url: string): boolean {
  let p = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/\\]*/i, '').replace(/[?#][\s\S]*$/, '');
  for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(p); i++) p = p.replace(/%([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  p = posix.normalize(`/${p.replace(/\\/g, '/')}`).toLowerCase();
  return /^\/__admin(?:[/?#]|$)/.test(p);
}

async function handleRelay(req: WireRequest, ctx: MockContext): Promise<Outcome> {
  const base = { protocol: 'relay' as const, partner: null };
  // Never forwarded: the upstream may be another mock, whose admin API anyone could then reach here.
  if (isAdminTarget(req.url)) {
    const message = `${req.method} ${req.url}: the admin API is not relayed (it is served on the main listener only); not forwarded`;
    return { ...base, ...refusal('relay', 404, findingFor('relay.admin-path', message)) };
  }
  const decision = ctx.engine.decide({ protocol: 'relay', method: req.method, path: req.url } satisfies RouteFacts<never>);
  const plain = plainAnswer(decision);
  if (plain) return { ...base, ...answered(decision, plain, true) };
  const { body, finding } = transform(req, ctx);
  const target = ctx.config.upstream!.replace(/\/+$/, '') + req.url;
  const headers = forwardHeaders(req.rawHeaders);
  const res = await forward({ url: target, method: req.method, headers, body, contentLength: req.headers['content-length'], ...forwardSettings(ctx) });
  // A streamed body: the row keeps its first bytes (as the request row does) and the whole body's sha256.
  const streamed = req.bodyStream ? (req.bodyStream.discard(), await req.bodyStream.done) : null;
  const sent = Buffer.isBuffer(body) ? body : req.body;
  const rows = [forwardRow({ url: target, method: req.method, headers, body: sent, sha256: streamed?.sha256 }, res)];
  const { answer, findings } = upstreamAnswer('relay', target, res);
  return { ...base, ...answered(decision, answer, true), findings: [finding, ...findings], rows };
}
