// The SQM v2 protocol finding rules (MS-SQMCS2 2.2.2, 3.2.5): required args, partners, commands,
// tokens and slices of the server role. Message decoding has its own table (codecs/sqm-v2-message).

import { inDocument, ruleEmitter, type FindingRuleSpec } from '../../wire/rule-table';

const r = inDocument('MS-SQMCS2');

/** Every rule the SQM v2 server role reports beside the message codec's. Codes are API. */
export const SQM_V2_RULES = {
  /** required.ts; cites the section of the element that lacks the arg (REQUIRED_ARGS); info for args the section 4 examples omit. */
  'sqm-v2.missing-arg': r('warning', '2.2.2'),
  // content.ts (3.2.5 step 3: the message content of 2.2.2); recorded, the answer is unchanged.
  /** mid a GUID, sample in 1..10^8 (2.2.2.9), FILETIMEs (2.2.2.9, 2.2.2.14, 2.2.2.16.2): cites the arg's section. */
  'sqm-v2.value-format': r('warning', '2.2.2.9'),
  'sqm-v2.svc': r('warning', '2.2.2.13.1'),
  'sqm-v2.resource-name': r('warning', '2.2.2.16.3'),
  /** precompsize without comp: "If the SQM session binary data is not compressed, then the client MUST NOT include" it. */
  'sqm-v2.payload-args': r('warning', '2.2.2.11'),
  /** "Each SQM session in the binary data payload MUST be referenced by a separate request element." */
  'sqm-v2.payload-unreferenced': r('warning', '2.2.2.16.2'),
  /** A requpload is sent "by using HTTP(S) POST" (a dataupload may be a PUT, 3.1.5.3). */
  'sqm-v2.method': r('warning', '3.1.5.2'),
  // upload.ts
  /** "The SQM client MUST NOT compress the session binary data" of a session in a v2 payload. */
  'sqm-v2.session-compressed': r('error', '3.1.5.3.1'),
  // handle.ts
  'sqm-v2.unknown-partner': r('error', '2.2.2.13.2'),
  'sqm-v2.unknown-command': r('error', '2.2.2.16'),
  // upload.ts
  'sqm-v2.token': r('warning', '2.2.2.16.2'),
  'sqm-v2.slice': r('error', '3.2.5.2'),
  // Conversation rules (INTERFACE.md section 5): what an earlier answer told this client (its mid).
  /** A throttle "stops all requests" whose namespace matches, at its level, for `period` days. */
  'sqm-v2.throttle-ignored': r('warning', '3.1.5.2.2'),
  /** retrv false: "does not retry the request". */
  'sqm-v2.retry-refused': r('warning', '3.1.5.2.3'),
  /** retrv true: retry "after a random time period between 8 and 24 hours". */
  'sqm-v2.retry-early': r('warning', '3.1.5.2.3'),
  /** "does not send the data upload if the client system time has exceeded the token expiration time". */
  'sqm-v2.token-expired': r('warning', '3.1.5.3'),
  /** The server "approved the SQM client to upload data as specified in the request upload message". */
  'sqm-v2.token-scope': r('warning', '3.1.5.2.1'),
  /** "The data upload message MUST be preceded by a request to upload … to obtain a valid data upload token". */
  'sqm-v2.no-requpload': r('warning', '3.1.5.3'),
  /** One session per approved requpload (3.1.5.3.1): a token that already got a receipt is used again. */
  'sqm-v2.token-reused': r('warning', '3.1.5.3.1'),
  /** An rsrc whose ver differs from the client's manifest: "the SQM client downloads the A-SQM manifest". */
  'sqm-v2.manifest-not-fetched': r('info', '3.1.5.4.1'),
} as const satisfies Record<string, FindingRuleSpec>;

export type SqmV2Rule = keyof typeof SQM_V2_RULES;

const emit = ruleEmitter<SqmV2Rule>(SQM_V2_RULES);

/**
 * The finding as a value (the handlers add `protocol` and push it).
 *
 * @example
 * w.findings.push({ ...findingFor('sqm-v2.slice', `<req key="${r.key}">: ${slice.message}`), protocol: 'sqm-v2' });
 */
export const findingFor = emit.findingFor;
