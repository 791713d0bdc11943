// The answer core with plain decisions: the same plain answer, content type, reason, rule name
// and delivery for every protocol.

import type { Decision, RespondSpec } from '../scenario/types';
import { answered, answerWith, ownPart, plainAnswer } from './answer';

const decision = (respond: RespondSpec | null, extra: Partial<Decision['delivery']> = {}, ruleName: string | null = 'r1'): Decision => ({
  ruleName,
  respond,
  delivery: { delayMs: 0, faultSeed: 0, ...extra },
});
const own = { status: 200, headers: {}, body: Buffer.alloc(0) };

describe('plainAnswer', () => {
  it.each([
    ['status and body', { status: 503, body: 'down' }, 503, 'text/plain; charset=utf-8', 'scenario answered 503'],
    ['status alone', { status: 500 }, 500, undefined, 'scenario answered 500'],
    ['body alone is a 200', { body: 'hi' }, 200, 'text/plain; charset=utf-8', undefined],
    ['headers name the type', { status: 502, body: '<x/>', headers: { 'Content-Type': 'text/xml' } }, 502, undefined, 'scenario answered 502'],
  ] as [string, RespondSpec, number, string | undefined, string | undefined][])('%s', (_n, r, status, type, reason) => {
    const a = plainAnswer(decision(r))!;
    expect(a.status).toBe(status);
    expect(a.headers['content-type']).toBe(type);
    expect(a.reason).toBe(reason);
    expect(a.body.toString()).toBe(r.body ?? '');
  });
  it('is the same for every protocol but for its content type and encoding', () => {
    const style = { key: 'cer', contentType: 'text/plain; charset=windows-1252', encode: (t: string) => Buffer.from(t, 'latin1') };
    const a = plainAnswer(decision({ status: 503, body: 'café' }), style)!;
    expect(a.headers['content-type']).toBe('text/plain; charset=windows-1252');
    expect(a.body).toEqual(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
  });
  it('is null when the rule gives the protocol its own answer, or none', () => {
    expect(plainAnswer(decision({ status: 201, cer: { iData: 0 } }), { key: 'cer' })).toBeNull();
    expect(plainAnswer(decision({ delayMs: 5 }))).toBeNull();
    expect(plainAnswer(decision(null))).toBeNull();
  });
});

describe('answered', () => {
  it('records the rule that shaped the answer', () => {
    expect(answered(decision({ status: 503 }), own, true)).toMatchObject({ ruleName: 'r1', delivery: { delayMs: 0 } });
  });
  it('records a rule that only delays or faults an answer the protocol chose', () => {
    expect(answered(decision({ delayMs: 10 }, { delayMs: 10 }), own, false).ruleName).toBe('r1');
    expect(answered(decision({ fault: 'reset' }, { fault: 'reset' }), own, false).delivery?.fault).toBe('reset');
  });
  it('records no rule for the protocol default', () => {
    expect(answered(decision({}), own, false)).toEqual({ answer: own, ruleName: null });
    expect(answered(decision(null, {}, null), own, true)).toEqual({ answer: own, ruleName: null });
  });
});

describe('answerWith and ownPart', () => {
  it('prefers the plain answer, else asks the protocol', () => {
    const calls: string[] = [];
    const protocol = () => (calls.push('own'), { answer: own, byRule: true });
    expect(answerWith(decision({ status: 418 }), {}, protocol).answer.status).toBe(418);
    expect(calls).toEqual([]);
    expect(answerWith(decision({ sqm: { throttleInterval: 7 } }), { key: 'sqm' }, protocol).answer).toBe(own);
    expect(calls).toEqual(['own']);
  });
  it('reads a module part of the rule', () => {
    expect(ownPart(decision({ sqm: { throttleInterval: 7 } }), 'sqm')).toEqual({ throttleInterval: 7 });
    expect(ownPart(decision(null), 'sqm')).toBeUndefined();
  });
});
