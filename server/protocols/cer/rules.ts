// The CER finding rules (MS-CER2): level 1 report decoding (2.2.1), the level-1 answer (2.2.2), the
// level-1 and level-2 handlers (1.3, 2.2.3, 3.1.5). Stable codes, their level and section, one table.

import { inDocument, ruleEmitter, type FindingRuleSpec } from '../../wire/rule-table';

const r = inDocument('MS-CER2');
const nlmp = inDocument('MS-NLMP');

/**
 * Every rule CER can report. Codes are API: the store and users filter on them. Schema rules
 * (element, attribute, text) cite the section of the element they hit (`at.specRef`).
 */
export const CER_RULES = {
  // Report text and XML (2.2.1: "a Unicode XML document"), cer-encoding.ts and wer-xml.ts.
  'cer.empty': r('error', '2.2.1'),
  /** `error` for an odd UTF-16 byte count; `info` when UTF-8 is accepted. */
  'cer.encoding': r('error', '2.2.1'),
  'cer.bom': r('warning', '2.2.1'),
  'cer.encoding-declaration': r('warning', '2.2.1'),
  'cer.xml': r('error', '2.2.1'),
  'cer.doctype': r('error', '2.2.1'),
  // The WERREPORT schema (2.2.1.3), werreport.ts: these cite the element's own section.
  'cer.root': r('error', '2.2.1.3.1'),
  'cer.element': r('warning', '2.2.1.3'),
  'cer.element-case': r('error', '2.2.1.3'),
  'cer.text': r('warning', '2.2.1.3'),
  'cer.missing-element': r('error', '2.2.1.3'),
  'cer.repeated-element': r('error', '2.2.1.3'),
  'cer.parameter-count': r('error', '2.2.1.3.6.1'),
  'cer.parameter-duplicate': r('error', '2.2.1.3.6.1'),
  'cer.attribute': r('error', '2.2.1.3'),
  'cer.attribute-case': r('error', '2.2.1.3'),
  'cer.unknown-attribute': r('warning', '2.2.1.3'),
  // Simple types (2.2.1.2), wer-schema.ts.
  'cer.maxpathstring': r('error', '2.2.1.2.1'),
  'cer.osstring': r('error', '2.2.1.2.2'),
  /** `os` in the dotted form of the examples or of Windows 10, outside the pattern: accepted. */
  'cer.osstring-form': r('info', '2.2.1.2.2'),
  'cer.lcid': r('error', '2.2.1.2.3'),
  /** A decimal 32-bit lcid outside the 4-digit pattern (real locale ids have 5 digits): accepted. */
  'cer.lcid-form': r('info', '2.2.1.2.3'),
  'cer.reporttype': r('error', '2.2.1.2.4'),
  'cer.filetype': r('error', '2.2.1.2.5'),
  'cer.string32': r('error', '2.2.1.2.6'),
  'cer.parameterid': r('error', '2.2.1.2.7'),
  'cer.eventtime': r('error', '2.2.1.3.5'),
  // The level-1 answer the mock writes (2.2.2 ABNF), answer.ts.
  'cer.answer-response': r('warning', '2.2.2'),
  'cer.answer-bucket': r('warning', '2.2.2'),
  /** A one-digit bucket or table: outside the ABNF (>= 10) but the 4.x examples' `BucketTable = 5`. */
  'cer.answer-bucket-digit': r('info', '2.2.2'),
  /** An `extra` key or value that would break the line it is sent on. */
  'cer.answer-extra': r('warning', '2.2.2'),
  'cer.answer-zero-one': r('warning', '2.2.2'),
  'cer.answer-list-item': r('warning', '2.2.2'),
  'cer.answer-dump-file': r('warning', '2.2.2'),
  'cer.answer-encoding': r('info', '2.2.2'),
  /**
   * A request line other than HTTP/1.1 (2.1: "This protocol MUST use HTTP 1.1"). A warning, not a
   * refusal: the exchange works over HTTP/1.0 (Content-Length bodies), and Windows' WinHTTP sends 1.1.
   */
  'cer.http-version': r('warning', '2.1'),
  // The level-1 handler, level1.ts.
  'cer.method': r('error', '1.3'),
  'cer.size-limit': r('error', '2.2.1'),
  'cer.dump-file-reused': r('info', '2.2.2'),
  /** The mock could not copy a report or cabinet to the fileshare (3.2.5 step 1): answered 503, not taken; the mock's failure, not the client's. */
  'cer.fileshare-failed': r('info', '3.2.5'),
  // The level-2 handler (2.2.3), level2.ts; cabinet findings keep their cab.* codes.
  'cer-level2.path': r('error', '2.2.3'),
  'cer-level2.unknown-path': r('error', '2.2.3'),
  'cer-level2.size-limit': r('error', '2.2.3'),
  'cer-level2.duplicate': r('error', '2.2.3'),
  /** The same cabinet again (a client retrying after a lost 200): answered 200, stored once. */
  'cer-level2.resent': r('info', '2.2.3'),
  'cer-level2.corrupt': r('warning', '2.2.3'),
  'cer-level2.missing-file': r('info', '3.1.5'),
  /** The PUT reached an issued DumpFile (2.2.2: "the level 2 destination url-path") in another form (4.1 step 8: `\\…`), dumpfile-form.ts. */
  'cer.dumpfile-form': r('info', '2.2.2'),
  // Authentication (1.7, 2.1), auth.ts: NTLM (MS-NLMP), NTLM or Kerberos inside Negotiate (RFC 4559), Basic (RFC 7617).
  /** A token that cannot be read: not base64, not an NTLM message a client sends, cut short (cites the section or RFC it breaks). */
  'cer.auth-token': nlmp('warning', '2.2.1'),
  /** With `cer.credentials`: the NTLMv2 response or Basic password proves none of them (Basic cites RFC 7617 2). */
  'cer.auth-credentials': nlmp('warning', '3.2.5.1.2'),
  /** An AUTHENTICATE_MESSAGE on a connection that was sent no CHALLENGE_MESSAGE (NTLM is connection-oriented). */
  'cer.auth-no-challenge': nlmp('warning', '1.3.1.1'),
  /** Credentials over plain HTTP: note <1> to 1.4 says Windows authenticates over HTTPS. */
  'cer.auth-plain-http': r('info', '1.4'),
  /** A Negotiate token that is not NTLM (Kerberos, 1.7): accepted without credentials, unread; findings cite RFC 4559 4. */
  'cer.auth-unverified': r('info', '1.7'),
  // Conversation rules (INTERFACE.md section 5): what the level-1 answer (or a 401) told this client.
  /** A cabinet for a report whose answer did not ask for one (iData=1 is the request for more data). */
  'cer.level2-unrequested': r('warning', '3.1.5'),
  /** iData=1 and a DumpFile: the client MUST collect what it can and upload it. */
  'cer.level2-missing': r('info', '3.1.5'),
  /** The cabinet lacks a file the client's own level-1 FILES list named. */
  'cer.cab-contents': r('warning', '3.1.5'),
  /** It lacks what an instruction asked for; MS-CER2 3.1.5 lets a client leave out what it cannot collect. */
  'cer.cab-requested-missing': r('info', '3.1.5'),
  /** A 401 challenge not followed by the client's next leg (2.1: authentication "MUST be exchanged … as required by HTTP"). */
  'cer.auth-incomplete': r('info', '2.1'),
} as const satisfies Record<string, FindingRuleSpec>;

export type CerRule = keyof typeof CER_RULES;

const emit = ruleEmitter<CerRule>(CER_RULES);

/** Adds a finding for `rule` at its table level and section (`at` for offset and overrides). */
export const report = emit.report;

/**
 * The finding as a value, for the handlers.
 *
 * @example
 * findingFor('cer.method', `level-1 report sent with ${req.method}`)
 */
export const findingFor = emit.findingFor;
