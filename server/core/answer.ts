// The one answer core (STYLE.md "One answer core"): from the scenario engine's decision and a
// protocol's own answer it decides, the same way for every protocol, the plain answer of a rule
// (status, body, headers, content type, stored reason), and which rule name, delay and fault go
// with the answer. Handlers keep only what is their protocol's own.

import type { Decision, Delivery, RespondSpec } from '../scenario/types';
import type { Finding } from '../wire/findings';
import { textAnswer, type Answer, type Outcome } from './types';

/** How a protocol's plain answers look. */
export interface PlainStyle {
  /** The protocol's own part of `respond` (e.g. `cer`): a rule that gives it is not a plain answer. */
  key?: string;
  /** Content type for a plain body when the rule names none (default text/plain; charset=utf-8). */
  contentType?: string;
  /** Encodes the rule's body text (default UTF-8). */
  encode?: (text: string) => Buffer;
}

export interface Answered {
  answer: Answer;
  /** The rule that shaped the answer or its delivery; null for the protocol's default. */
  ruleName: string | null;
  delivery?: Delivery;
}

export const UTF8_TEXT = 'text/plain; charset=utf-8';

const hasPlain = (r: RespondSpec): boolean => r.status !== undefined || r.body !== undefined || r.headers !== undefined;

/**
 * The rule's plain HTTP answer (`status`, `body`, `headers`), or null when the rule gives none or
 * gives the protocol's own answer. A body gets the protocol's content type unless the rule names
 * one; a 4xx/5xx is stored with the reason "scenario answered <status>".
 * @example plainAnswer(decision, { key: 'cer', contentType: 'text/plain; charset=windows-1252' })
 */
export function plainAnswer(decision: Decision, style: PlainStyle = {}): Answer | null {
  const r = decision.respond;
  if (!r || !hasPlain(r) || (style.key !== undefined && (r as Record<string, unknown>)[style.key] !== undefined)) return null;
  const status = r.status ?? 200;
  const headers: Record<string, string> = { ...(r.headers ?? {}) };
  const body = (style.encode ?? ((t: string) => Buffer.from(t, 'utf8')))(r.body ?? '');
  if (body.length > 0 && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = style.contentType ?? UTF8_TEXT;
  return { status, headers, body, reason: status >= 400 ? `scenario answered ${status}` : undefined };
}

/**
 * Which rule name and delivery go with an answer: the rule's when it shaped the answer (`byRule`),
 * and also when the protocol chose the answer (a validation refusal, say) but the rule delays or
 * faults it — a rule's delay or fault always applies.
 */
export function answered(decision: Decision, answer: Answer, byRule: boolean): Answered {
  const d = decision.delivery;
  const ruled = byRule || d.fault !== undefined || d.delayMs > 0;
  return ruled && decision.ruleName !== null ? { answer, ruleName: decision.ruleName, delivery: d } : { answer, ruleName: null };
}

/** A rule's own part for a protocol (`respond.<key>`), typed by the module that owns the key. */
export const ownPart = <T>(decision: Decision, key: string): T | undefined => decision.respond?.[key] as T | undefined;

/** The answer core in one call: the rule's plain answer if it gives one, else the protocol's own. */
export function answerWith(decision: Decision, style: PlainStyle, own: () => { answer: Answer; byRule: boolean }): Answered {
  const plain = plainAnswer(decision, style);
  if (plain) return answered(decision, plain, true);
  const o = own();
  return answered(decision, o.answer, o.byRule);
}

/**
 * A one-line text answer (as textAnswer) in a protocol's own content type and charset: CER answers
 * every request, refusals included, in windows-1252.
 * @example styledText(400, 'cer.xml (MS-CER2 2.2.1): …', CER_PLAIN)
 */
export function styledText(status: number, text: string, style: PlainStyle, headers: Record<string, string> = {}): Answer {
  const a = textAnswer(status, text, headers);
  if (!style.encode && !style.contentType) return a;
  return {
    ...a,
    headers: { ...a.headers, 'content-type': style.contentType ?? UTF8_TEXT },
    body: (style.encode ?? ((t: string) => Buffer.from(t, 'utf8')))(a.body.toString('utf8')),
  };
}

/**
 * A protocol's refusal of a request: its finding (from the protocol's rule table) and the answer
 * `<rule> (<specRef>): <message>` in one line, or `text` where the protocol's answer says it otherwise;
 * in the protocol's `style` (content type, charset) when given.
 * @example refusal('sqm-v1', 405, findingFor('sqm-v1.method', 'got GET'), { headers: { allow: 'POST, PUT' } })
 */
export function refusal(
  protocol: string,
  status: number,
  f: Finding,
  opts: { text?: string; headers?: Record<string, string>; style?: PlainStyle } = {},
): Pick<Outcome, 'answer' | 'findings'> {
  const text = opts.text ?? `${f.rule} (${f.specRef}): ${f.message}`;
  return { answer: styledText(status, text, opts.style ?? {}, opts.headers), findings: [{ ...f, protocol }] };
}
