// The SQM v1 answer (MS-SQMCS 2.2.5, 3.2.5.4, 3.2.5.5; INTERFACE.md "Decisions on SQM v1 responses"):
// 200 accepted, 201 with ThrottleInterval and/or ManifestVersion, 403 fixed throttle, 400 invalid.

import type { Answer } from '../../core/types';
import { textAnswer } from '../../core/types';
import type { RespondSpec, Strictness } from '../../scenario/types';
import type { SqmV1Respond } from './schema';
import type { Finding } from '../../wire/findings';
import { INTERNAL_FLAG_REQUEST_MANIFEST_VERSION, type SqmSession } from '../../codecs/sqm-session/types';

export interface SqmV1AnswerInput {
  session: SqmSession | null;
  findings: Finding[];
  strictness: Strictness;
  /** The partner's current manifest version, when it has one. */
  partnerManifestVersion?: number;
  /** The matching rule's answer, if any. */
  respond: RespondSpec | null;
}

/** The protocol's own answer, and whether the rule's `sqm` part shaped it (plain answers come from the answer core). */
export function sqmV1Answer(input: SqmV1AnswerInput): { answer: Answer; byRule: boolean } {
  const error = input.findings.find((f) => f.level === 'error');
  if (error && (input.strictness === 'strict' || !input.session)) {
    return { answer: textAnswer(400, `${error.rule} (${error.specRef}): ${error.message}`), byRule: false };
  }
  const sqm = input.respond?.sqm as SqmV1Respond | undefined;
  if (sqm) {
    const { throttleInterval, manifestVersion, fixedThrottle } = sqm;
    const status = fixedThrottle ? 403 : (input.respond?.status ?? 201);
    // MS-SQMCS 3.2.5.5: a throttle response "MAY be combined with an A-SQM manifest response" —
    // the announcement the client asked for goes with it unless the rule says manifestVersion: null.
    const combined = status === 201 && manifestVersion === undefined ? announcedVersion(input) : undefined;
    return { answer: keyValueAnswer(status, { ThrottleInterval: throttleInterval, ManifestVersion: manifestVersion ?? combined }), byRule: true };
  }
  const v = announcedVersion(input);
  return { answer: v === undefined ? { status: 200, headers: {}, body: Buffer.alloc(0) } : keyValueAnswer(201, { ManifestVersion: v }), byRule: true };
}

/** MS-SQMCS 3.2.5.4: the partner's version, when the client asked (InternalFlags bit 3) and it differs. */
function announcedVersion(input: SqmV1AnswerInput): number | undefined {
  const session = input.session;
  const wantsVersion = session !== null && (session.header.internalFlags & INTERNAL_FLAG_REQUEST_MANIFEST_VERSION) !== 0;
  const v = input.partnerManifestVersion;
  return wantsVersion && v !== undefined && v !== session.header.manifestVersion ? v : undefined;
}

/** Each pair both as a header and as a body line `Name:"value"` CRLF (MS-SQMCS 2.2.5 ABNF). */
function keyValueAnswer(status: number, pairs: Record<string, number | null | undefined>): Answer {
  const headers: Record<string, string> = {};
  let body = '';
  for (const [name, value] of Object.entries(pairs)) {
    if (value === undefined || value === null) continue;
    headers[name] = `"${value}"`;
    body += `${name}:"${value}"\r\n`;
  }
  if (body) headers['content-type'] = 'text/plain; charset=utf-8';
  return { status, headers, body: Buffer.from(body, 'latin1') };
}
