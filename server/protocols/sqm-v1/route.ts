// SQM v1 server role (MS-SQMCS 2.1, 2.2.1, 3.2.5) for POST /sqm/<partner>/sqmserver.dll with an
// `MSQM` body: decodes the session, asks the scenario what to answer, returns the outcome to capture.

import { extractCabinetFile, prefetchFallback } from '../../cab';
import { decodeSqmSession } from '../../codecs/sqm-session/codec';
import type { MockContext } from '../../context';
import { answerWith, refusal } from '../../core/answer';
import type { ProtocolRoute } from '../../core/module';
import type { RouteFacts } from '../../scenario/types';
import type { Answer, Outcome, WireRequest } from '../../core/types';
import type { SqmSession } from '../../codecs/sqm-session/types';
import type { ConversationState } from '../../conversation';
import { hash } from 'node:crypto';
import { sessionRow } from '../../sessions';
import { isV2Message, partnerOf, SQM_PATH } from '../../sessions/upload-path';
import type { FindingRecord } from '../../store';
import { sqmV1Answer } from './answer';
import { judgeUpload, setupsOfAnswer, type AnswerFacts, type EarlierAnswers, type UploadFacts } from './checks';
import { findingFor } from './rules';

export function handleSqmV1(req: WireRequest, ctx: MockContext, conversation: ConversationState): Outcome {
  const partner = partnerOf(req);
  if (req.method !== 'POST') {
    return {
      protocol: 'sqm-v1',
      partner,
      ...refusal('sqm-v1', 405, findingFor('sqm-v1.method', `sessions are uploaded with POST, got ${req.method}`), { headers: { allow: 'POST, PUT' } }),
    };
  }
  if (partner === null || !ctx.engine.knowsPartner(partner)) {
    const known = Object.keys(ctx.engine.scenario.partners ?? {}).join(', ');
    return { protocol: 'sqm-v1', partner, ...refusal('sqm-v1', 404, findingFor('sqm-v1.unknown-partner', `partner "${partner}" is not in the scenario (known: ${known})`)) };
  }
  const limit = ctx.engine.maxUploadBytes(partner);
  // The listener keeps up to the v2 limit (partner limit + XML); a v1 session gets the partner limit.
  if (req.bodyTruncated || req.bodySize > limit) {
    return { protocol: 'sqm-v1', partner, ...refusal('sqm-v1', 400, findingFor('sqm-v1.size-limit', `body is ${req.bodySize} bytes, over the partner's upload length ${limit}`)) };
  }
  const decoded = decodeSqmSession(req.body, {
    maxRawBytes: limit,
    decompress: (data, maxBytes) => extractCabinetFile(data, { maxBytes, fallback: req.cabFallback }),
  });
  const mid = decoded.value?.header.clientUniqueIdentifier ?? null;
  const decision = ctx.engine.decide({ protocol: 'sqm-v1', method: req.method, path: req.url, partner, mid } satisfies RouteFacts<(typeof MATCH_KEYS)[number]>);
  const manifest = ctx.engine.partner(partner)?.manifest as { version?: number } | undefined;
  const result = answerWith(decision, { key: 'sqm' }, () =>
    sqmV1Answer({ session: decoded.value, findings: decoded.findings, strictness: ctx.engine.strictness, partnerManifestVersion: manifest?.version, respond: decision.respond }),
  );
  const accepted = [200, 201, 403].includes(result.answer.status);
  const findings: FindingRecord[] = decoded.findings.map((f) => ({ ...f, protocol: 'sqm-v1', sessionIndex: decoded.value ? 0 : undefined }));
  const rows = decoded.value
    ? [sessionRow(decoded.value, { index: 0, protocolVersion: 1, partner, accepted, bodyOffset: 0, bodyLength: req.body.length, storeDecompressed: ctx.config.storeDecompressed })]
    : [];
  if (!decoded.value) return { protocol: 'sqm-v1', partner, ...result, rows, findings };
  const facts = uploadFacts(req, ctx, partner, decoded.value);
  const earlier = earlierAnswers(conversation, facts);
  findings.push(...judgeUpload(facts, earlier));
  // An answer the client never saw (a fault cut it off) tells it nothing.
  const seen = result.delivery?.fault === undefined || result.delivery.fault === 'empty' || result.delivery.fault === 'truncate';
  if (seen) rows.push(...setupsOfAnswer(facts, answerFacts(result.answer), earlier.accepted !== undefined));
  return { protocol: 'sqm-v1', partner, clientKey: facts.clientKey, ...result, rows, findings };
}

function uploadFacts(req: WireRequest, ctx: MockContext, partner: string, s: SqmSession): UploadFacts {
  return {
    clientKey: `${partner}/${s.header.clientUniqueIdentifier}`,
    partner,
    nowMs: ctx.clock.nowMs(),
    // The header carries the session's DataChecksum and times (and the client's id): the same header
    // to the same partner is the same session of the same client.
    digest: hash('sha1', Buffer.concat([Buffer.from(partner), req.body.subarray(0, 120)]), 'hex'),
    manifestVersion: s.header.manifestVersion,
  };
}

function earlierAnswers(conversation: ConversationState, f: UploadFacts): EarlierAnswers {
  // setups() asks the presence filter first: a client never throttled costs no query.
  const windows = conversation.setups({ kind: ['throttle', 'fixed-throttle'], clientKey: f.clientKey, activeAt: new Date(f.nowMs).toISOString() });
  return {
    // One query for both windows: this runs on every upload.
    throttles: windows.filter((s) => s.kind === 'throttle'),
    fixedThrottles: windows.filter((s) => s.kind === 'fixed-throttle'),
    accepted: conversation.seen(f.digest),
  };
}

/** ThrottleInterval and ManifestVersion as the answer's headers carry them (`"7"`), whoever built it. */
function answerFacts(a: Answer): AnswerFacts {
  const num = (name: string) => {
    const v = a.headers[name];
    return v === undefined ? undefined : Number(String(v).replace(/"/g, ''));
  };
  return { status: a.status, throttleDays: num('ThrottleInterval'), announcedManifest: num('ManifestVersion') };
}

/** The `when` keys an SQM v1 upload has facts for (the partner from the URL, the header's machine id). */
const MATCH_KEYS = ['partner', 'mid'] as const;

export const sqmV1Route: ProtocolRoute<ConversationState> = {
  name: 'sqm-v1',
  matchKeys: MATCH_KEYS,
  claims: (head) => SQM_PATH.test(head.pathname),
  bodyLimit: (head, ctx) => ctx.engine.maxUploadBytes(partnerOf(head)),
  /** Everything on the upload path that is not an SQM v2 message (v1 checks it and says why). */
  accepts: (req) => !isV2Message(req),
  handle: async (req, ctx, conversation) => {
    const cabFallback = await prefetchFallback(req.body, ctx.cabextract, ctx.engine.maxUploadBytes(partnerOf(req)));
    return handleSqmV1(cabFallback ? { ...req, cabFallback } : req, ctx, conversation);
  },
};
