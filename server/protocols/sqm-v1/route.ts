// SQM v1 server role (MS-SQMCS 2.1, 2.2.1, 3.2.5) for POST /sqm/<partner>/sqmserver.dll with an
// `MSQM` body: decodes the session, asks the scenario what to answer, returns the outcome to capture.

import { extractCabinetFile, cabextractFallback } from '../../cab';
import type { MockContext } from '../../context';
import type { Outcome, RequestHead, WireRequest } from '../../http/types';
import { textAnswer } from '../../http/types';
import type { FindingRecord } from '../../store/records';
import { decodeSqmSession } from '../../codecs/sqm-session/codec';
import { sqmV1Answer } from './answer';
import { sessionRecord } from '../../codecs/sqm-session/record';

export const SQM_PATH = /^\/sqm\/([^/]+)\/sqmserver\.dll$/i;

export const partnerOf = (head: RequestHead): string | null => {
  const m = SQM_PATH.exec(head.pathname);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
};

export function handleSqmV1(req: WireRequest, ctx: MockContext): Outcome {
  const partner = partnerOf(req);
  const base = { protocol: 'sqm-v1', partner };
  const refuse = (status: number, rule: string, specRef: string, message: string, headers: Record<string, string> = {}): Outcome => ({
    ...base,
    answer: textAnswer(status, `${rule} (${specRef}): ${message}`, headers),
    findings: [{ protocol: 'sqm-v1', level: 'error', rule, specRef, message }],
  });
  if (req.method !== 'POST') {
    return refuse(405, 'sqm-v1.method', 'MS-SQMCS 2.2.2', `sessions are uploaded with POST, got ${req.method}`, { allow: 'POST, PUT' });
  }
  if (partner === null || !ctx.engine.knowsPartner(partner)) {
    const known = Object.keys(ctx.engine.scenario.partners ?? {}).join(', ');
    return refuse(404, 'sqm-v1.unknown-partner', 'MS-SQMCS 2.2.1', `partner "${partner}" is not in the scenario (known: ${known})`);
  }
  const limit = ctx.engine.maxUploadBytes(partner);
  // The listener keeps up to the v2 limit (partner limit + XML); a v1 session gets the partner limit.
  if (req.bodyTruncated || req.bodySize > limit) {
    return refuse(400, 'sqm-v1.size-limit', 'MS-SQMCS 3.1.5.2', `body is ${req.bodySize} bytes, over the partner's upload length ${limit}`);
  }
  const decoded = decodeSqmSession(req.body, {
    maxRawBytes: limit,
    decompress: (data, maxBytes) => extractCabinetFile(data, { maxBytes, fallback: cabextractFallback() }),
  });
  const mid = decoded.value?.header.clientUniqueIdentifier ?? null;
  const decision = ctx.engine.decide({ protocol: 'sqm-v1', method: req.method, path: req.url, partner, mid });
  const { answer, ruleAnswered } = sqmV1Answer({
    session: decoded.value,
    findings: decoded.findings,
    strictness: ctx.engine.strictness,
    partnerManifestVersion: ctx.engine.partner(partner)?.manifest?.version,
    respond: decision.respond,
  });
  // A rule's delay or fault applies even when validation chose the answer.
  const shaped = ruleAnswered || decision.delivery.fault !== undefined || decision.delivery.delayMs > 0;
  const accepted = answer.status === 200 || answer.status === 201 || answer.status === 403;
  const findings: FindingRecord[] = decoded.findings.map((f) => ({ ...f, protocol: 'sqm-v1', sessionIndex: decoded.value ? 0 : undefined }));
  return {
    ...base,
    ruleName: shaped ? decision.ruleName : null,
    delivery: shaped ? decision.delivery : undefined,
    answer,
    sessions: decoded.value ? [sessionRecord(decoded.value, { protocolVersion: 1, partner, accepted, bodyOffset: 0, bodyLength: req.body.length })] : [],
    findings,
  };
}
