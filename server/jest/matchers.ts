// The jest matchers of sqm-cer-mock/jest (INTERFACE.md section 6): toHaveReceivedSqmSession,
// toHaveReceivedCerReport and toHaveNoViolations, asked of a running mock through its admin API.

import { AdminClient, type CerReportJson, type SessionJson, type Violation } from '../admin/client';
import { closest, differences, type Difference } from './partial';

/** What the matchers use of jest's matcher context (so this module needs no jest at run time). */
export interface MatcherContextLike {
  isNot?: boolean;
  equals(a: unknown, b: unknown, customTesters?: unknown[], strictCheck?: boolean): boolean;
  customTesters?: unknown[];
  utils: {
    iterableEquality: unknown;
    subsetEquality: unknown;
    matcherHint(name: string, received?: string, expected?: string, options?: { isNot?: boolean }): string;
    printExpected(v: unknown): string;
    printReceived(v: unknown): string;
  };
}

export interface MatcherResult {
  pass: boolean;
  message: () => string;
}

/** What a matcher is asked of: startMockServer's result, its `client`, or the mock's base URL. */
export type MockTarget = { client: AdminClient } | AdminClient | string;

/** How long a matcher keeps asking the mock before it answers (default 0: ask once). */
export interface WaitOption {
  timeoutMs?: number;
}

/** Options of toHaveNoViolations: the filters of GET /__admin/violations, and rules to leave out. */
export interface NoViolationsOptions {
  /** `error`, `warning`, `info`, `expectation`, `all`, or a comma-separated list; default warnings and errors. */
  level?: string;
  /** `request`, `conversation` or `expectation`. */
  kind?: 'request' | 'conversation' | 'expectation';
  /** A protocol name of INTERFACE.md section 3 (`sqm-v1`, `cer`, …). */
  protocol?: string;
  rule?: string;
  requestId?: number;
  clientKey?: string;
  /** Rule names (`sqm-v1.resent`) not to count. */
  ignore?: readonly string[];
}

const POLL_MS = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function clientOf(target: unknown, matcher: string): AdminClient {
  if (typeof target === 'string' && /^https?:\/\//i.test(target)) return new AdminClient(target.replace(/\/+$/, ''));
  const t = target as { client?: unknown; sqmSessions?: unknown; violations?: unknown } | null;
  if (typeof t?.sqmSessions === 'function' && typeof t.violations === 'function') return t as AdminClient;
  if (t?.client !== undefined && t.client !== target) return clientOf(t.client, matcher);
  throw new TypeError(
    `${matcher}: expected a mock (what startMockServer resolves to), its client, or its base URL; got ${typeof target === 'string' ? JSON.stringify(target) : typeof target}`,
  );
}

/** The admin API's answer, or a one-line error naming the route (never a pass or fail by accident). */
async function ask<T>(matcher: string, route: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw new Error(`${matcher}: could not read ${route} (${(e as Error).message})`);
  }
}

/** Asks `load` until `found` holds or `timeoutMs` has passed; the last records either way. */
async function poll<T>(load: () => Promise<T[]>, found: (records: T[]) => boolean, timeoutMs: number): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const records = await load();
    if (found(records) || Date.now() >= deadline) return records;
    await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
  }
}

const line = (ctx: MatcherContextLike, d: Difference) => `  ${d.path}: expected ${ctx.utils.printExpected(d.expected)}, received ${ctx.utils.printReceived(shallow(d.received))}`;

/** A value cut down for a message: objects to their first level, long strings shortened. */
function shallow(v: unknown): unknown {
  if (typeof v === 'string') return v.length > 200 ? `${v.slice(0, 200)}…` : v;
  if (Array.isArray(v)) return v.length > 5 ? [...v.slice(0, 5).map(shallow), `… ${v.length - 5} more`] : v.map(shallow);
  if (typeof v === 'object' && v !== null)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'object' && x !== null ? (Array.isArray(x) ? `[${x.length} items]` : '{…}') : shallow(x)]));
  return v;
}

interface RecordKind<T> {
  matcher: string;
  /** `SQM session`, `CER report`; its last word names one record: `session 2 (request 3)`. */
  noun: string;
  /** The admin route (under /__admin) that lists them, and the client method that reads it. */
  route: string;
  load: (c: AdminClient) => Promise<T[]>;
}

function recordMatcher<T extends { id: number; requestId: number }>(kind: RecordKind<T>) {
  const label = (r: T) => `${kind.noun.split(' ').pop()} ${r.id} (request ${r.requestId})`;
  // An SQM session (the letter's name starts with a vowel sound), a CER report.
  const an = /^[AEFHILMNORSX]/.test(kind.noun) ? 'an' : 'a';
  const route = `GET /__admin${kind.route}`;
  return async function (this: MatcherContextLike, target: MockTarget, expected: unknown, options: WaitOption = {}): Promise<MatcherResult> {
    const client = clientOf(target, kind.matcher);
    const equals = (a: unknown, b: unknown) => this.equals(a, b, [...(this.customTesters ?? []), this.utils.iterableEquality, this.utils.subsetEquality]);
    const matches = (r: T) => differences(expected, r, equals).length === 0;
    const timeoutMs = options.timeoutMs ?? 0;
    const records = await poll(
      () => ask(kind.matcher, route, () => kind.load(client)),
      (rs) => rs.some(matches),
      timeoutMs,
    );
    const match = records.find(matches);
    const hint = this.utils.matcherHint(kind.matcher, 'mock', 'expected', { isNot: this.isNot });
    const within = timeoutMs > 0 ? ` within ${timeoutMs} ms` : '';
    if (match)
      return {
        pass: true,
        message: () =>
          `${hint}\n\nExpected: no ${kind.noun} matching ${this.utils.printExpected(expected)}${within}\nReceived: ${label(match)} matches: ${this.utils.printReceived(shallow(match))}`,
      };
    const near = closest(expected, records, equals);
    const received = near
      ? `${records.length} ${kind.noun}${records.length === 1 ? '' : 's'}, none matching. The closest, ${label(near.record)}, differs in ${near.differences.length} place${near.differences.length === 1 ? '' : 's'}:\n${near.differences.map((d) => line(this, d)).join('\n')}`
      : `no ${kind.noun} at all (${route} is empty)`;
    return { pass: false, message: () => `${hint}\n\nExpected: ${an} ${kind.noun} matching ${this.utils.printExpected(expected)}${within}\nReceived: ${received}` };
  };
}

const describeViolation = (v: Violation) => `  request ${v.requestId ?? '-'} ${v.protocol} ${v.level} ${v.rule} (${v.specRef}): ${v.message}`;

async function toHaveNoViolations(this: MatcherContextLike, target: MockTarget, options: NoViolationsOptions = {}): Promise<MatcherResult> {
  const { ignore = [], ...filters } = options;
  const client = clientOf(target, 'toHaveNoViolations');
  const all = await ask('toHaveNoViolations', 'GET /__admin/violations', () => client.violations({ ...filters }));
  const found = all.filter((v) => !ignore.includes(v.rule));
  const hint = this.utils.matcherHint('toHaveNoViolations', 'mock', Object.keys(options).length ? 'options' : '', { isNot: this.isNot });
  const which = Object.keys(filters).length
    ? ` (${new URLSearchParams(Object.entries(filters).map(([k, v]): [string, string] => [k, String(v)])).toString()})`
    : ' (warnings and errors)';
  const ignored = ignore.length ? `, ignoring ${ignore.join(', ')}` : '';
  if (found.length === 0) return { pass: true, message: () => `${hint}\n\nExpected: at least one violation${which}${ignored}\nReceived: none` };
  const shown = found.slice(0, 20).map(describeViolation).join('\n') + (found.length > 20 ? `\n  … ${found.length - 20} more` : '');
  return { pass: false, message: () => `${hint}\n\nExpected: no violations${which}${ignored}\nReceived: ${found.length}:\n${shown}` };
}

/**
 * The matchers, for `expect.extend(sqmMatchers)`. Each is async: `await expect(mock).toHave…`.
 * @example
 * await expect(mock).toHaveReceivedSqmSession({ partner: 'windows', header: { manifestVersion: 3 } });
 * await expect(mock).toHaveReceivedCerReport({ eventType: 'APPCRASH', level2: expect.objectContaining({ size: expect.any(Number) }) }, { timeoutMs: 5000 });
 * await expect(mock).toHaveNoViolations({ ignore: ['sqm-v1.resent'] });
 */
export const sqmMatchers = {
  toHaveReceivedSqmSession: recordMatcher<SessionJson>({ matcher: 'toHaveReceivedSqmSession', noun: 'SQM session', route: '/sqm/sessions', load: (c) => c.sqmSessions() }),
  toHaveReceivedCerReport: recordMatcher<CerReportJson>({ matcher: 'toHaveReceivedCerReport', noun: 'CER report', route: '/cer/reports', load: (c) => c.cerReports() }),
  toHaveNoViolations,
};
