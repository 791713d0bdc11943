// Admin API query filters (INTERFACE.md section 4): good values become store filters, bad ones a
// BAD_QUERY MockError naming the parameter.

import { MockError } from '../errors';
import { DEFAULT_PAGE, int, MAX_LIMIT, onlyParams, type Query } from '../core/query';
import { CER_REPORT_PARAMS, cerReportFilter } from '../protocols/cer/admin';
import { SESSION_PARAMS, sessionFilter } from '../sessions/admin';
import { findingFilter, REQUEST_PARAMS, requestFilter, VIOLATION_PARAMS, violationFilter } from './filters';

/** Runs `fn` expecting a BAD_QUERY MockError; returns its message. */
function badQuery(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MockError);
    expect((e as MockError).code).toBe('BAD_QUERY');
    return (e as MockError).message;
  }
  throw new Error('expected a BAD_QUERY error, nothing was thrown');
}

/** The filter without its undefined keys. */
const defined = (o: object): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
/** Without `limit` a list reads its default page (issue 13 item 2): the first DEFAULT_PAGE after `since`. */
const paged = (e: object): object => ('limit' in e ? e : { first: DEFAULT_PAGE, ...e });

describe('int', () => {
  it.each<[string, Query, number, number | undefined]>([
    ['absent', {}, 0, undefined],
    ['empty string is absent', { n: '' }, 0, undefined],
    ['a repeated parameter (array) is absent', { n: ['1', '2'] }, 0, undefined],
    ['zero', { n: '0' }, 0, 0],
    ['the minimum', { n: '1' }, 1, 1],
    ['negative at the minimum', { n: '-1' }, -1, -1],
    ['leading zeros', { n: '007' }, 0, 7],
    ['largest safe integer', { n: String(Number.MAX_SAFE_INTEGER) }, 0, Number.MAX_SAFE_INTEGER],
  ])('%s', (_name, q, min, expected) => {
    expect(int(q, 'n', min)).toBe(expected);
  });

  it.each<[string, string, number]>([
    ['below the minimum', '0', 1],
    ['negative', '-2', -1],
    ['letters', 'abc', 0],
    ['decimal', '1.5', 0],
    ['exponent', '1e3', 0],
    ['hex', '0x10', 0],
    ['spaces', ' 1', 0],
    ['trailing garbage', '10abc', 0],
    ['past 2^53', '99999999999999999999', 0],
  ])('refuses %s (%s)', (_name, value, min) => {
    expect(badQuery(() => int({ n: value }, 'n', min))).toMatch(/^n: /);
  });
});

describe('requestFilter', () => {
  it.each<[string, Query, Record<string, unknown>]>([
    ['nothing', {}, {}],
    ['empty values are ignored', { protocol: '', limit: '', since: '' }, {}],
    [
      'protocol, method, path, ruleName',
      { protocol: 'cer', method: 'PUT', path: '/stage2.htm', ruleName: 'two-503' },
      { protocol: 'cer', method: 'PUT', path: '/stage2.htm', ruleName: 'two-503' },
    ],
    ['limit', { limit: '5' }, { limit: 5 }],
    ['limit over the maximum', { limit: '50000' }, { limit: MAX_LIMIT }],
    ['status', { status: '503' }, { status: 503 }],
    ['status -1 (aborted)', { status: '-1' }, { status: -1 }],
    ['since as an id', { since: '42' }, { sinceId: 42 }],
    ['since 0', { since: '0' }, { sinceId: 0 }],
    ['since as an ISO time', { since: '2024-01-02T03:04:05Z' }, { sinceTime: '2024-01-02T03:04:05.000Z' }],
    ['since as an ISO time with an offset', { since: '2024-01-02T03:04:05.250+02:00' }, { sinceTime: '2024-01-02T01:04:05.250Z' }],
    ['since as an ISO date', { since: '2024-01-02' }, { sinceTime: '2024-01-02T00:00:00.000Z' }],
  ])('%s', (_name, q, expected) => {
    expect(defined(requestFilter(q))).toEqual(paged(expected));
  });

  it.each<[string, Query, string]>([
    ['limit 0', { limit: '0' }, 'limit'],
    ['limit abc', { limit: 'abc' }, 'limit'],
    ['limit -5', { limit: '-5' }, 'limit'],
    ['limit past 2^53', { limit: '99999999999999999999' }, 'limit'],
    ['status -2', { status: '-2' }, 'status'],
    ['status abc', { status: 'abc' }, 'status'],
    ['since garbage', { since: 'yesterday' }, 'since'],
    ['since words with a number', { since: 'foo 2024' }, 'since'],
    ['since negative', { since: '-5' }, 'since'],
    ['since decimal', { since: '1.5' }, 'since'],
    ['since impossible date', { since: '2024-13-45' }, 'since'],
  ])('refuses %s', (_name, q, param) => {
    expect(badQuery(() => requestFilter(q))).toMatch(new RegExp(`^${param}: `));
  });
});

describe('sessionFilter', () => {
  it.each<[string, Query, Record<string, unknown>]>([
    ['nothing', {}, {}],
    ['partner', { partner: 'windows' }, { partner: 'windows' }],
    ['protocol 1', { protocol: '1' }, { protocol: 1 }],
    ['protocol 2', { protocol: '2' }, { protocol: 2 }],
    ['protocol sqm-v1', { protocol: 'sqm-v1' }, { protocol: 1 }],
    ['protocol sqm-v2', { protocol: 'sqm-v2' }, { protocol: 2 }],
    ['mid in braces, lower case', { mid: '{0a1b2c3d-0000-4000-8000-00000000abcd}' }, { mid: '{0A1B2C3D-0000-4000-8000-00000000ABCD}' }],
    ['mid without braces', { mid: '0a1b2c3d-0000-4000-8000-00000000abcd' }, { mid: '{0A1B2C3D-0000-4000-8000-00000000ABCD}' }],
    ['mid upper case already', { mid: '{0A1B2C3D-0000-4000-8000-00000000ABCD}' }, { mid: '{0A1B2C3D-0000-4000-8000-00000000ABCD}' }],
    ['mid with one brace', { mid: '0a1b2c3d-0000-4000-8000-00000000abcd}' }, { mid: '{0A1B2C3D-0000-4000-8000-00000000ABCD}' }],
    ['requestId', { requestId: '7' }, { requestId: 7 }],
    ['limit', { limit: '3' }, { limit: 3 }],
    ['since as an id', { since: '9' }, { sinceId: 9 }],
  ])('%s', (_name, q, expected) => {
    expect(defined(sessionFilter(q))).toEqual(paged(expected));
  });

  it.each<[string, Query, string]>([
    ['protocol 3', { protocol: '3' }, 'protocol'],
    ['protocol cer', { protocol: 'cer' }, 'protocol'],
    ['protocol SQM-V1', { protocol: 'SQM-V1' }, 'protocol'],
    ['protocol constructor', { protocol: 'constructor' }, 'protocol'],
    ['protocol __proto__', { protocol: '__proto__' }, 'protocol'],
    ['protocol toString', { protocol: 'toString' }, 'protocol'],
    ['requestId 0', { requestId: '0' }, 'requestId'],
    ['limit x', { limit: 'x' }, 'limit'],
    ['since garbage', { since: 'soon' }, 'since'],
    ['since a date (sessions filter by id only)', { since: '2024-01-02T00:00:00Z' }, 'since'],
  ])('refuses %s', (_name, q, param) => {
    expect(badQuery(() => sessionFilter(q))).toMatch(new RegExp(`^${param}: `));
  });
});

describe('findingFilter', () => {
  it.each<[string, Query, Record<string, unknown>]>([
    ['nothing (the store defaults to error and warning)', {}, {}],
    ['level all', { level: 'all' }, { levels: ['error', 'warning', 'info'] }],
    ['one level', { level: 'info' }, { levels: ['info'] }],
    ['a comma list', { level: 'error,info' }, { levels: ['error', 'info'] }],
    ['every level listed', { level: 'warning,error,info' }, { levels: ['warning', 'error', 'info'] }],
    ['requestId, protocol, rule', { requestId: '3', protocol: 'sqm-v1', rule: 'header.signature' }, { requestId: 3, protocol: 'sqm-v1', rule: 'header.signature' }],
    ['limit and since', { limit: '10', since: '4' }, { limit: 10, sinceId: 4 }],
  ])('%s', (_name, q, expected) => {
    expect(defined(findingFilter(q))).toEqual(paged(expected));
  });

  it('gives each caller its own list for level=all', () => {
    const a = findingFilter({ level: 'all' }).levels!;
    a.pop();
    expect(findingFilter({ level: 'all' }).levels).toEqual(['error', 'warning', 'info']);
  });

  it.each<[string, Query, string]>([
    ['an unknown level', { level: 'fatal' }, 'level'],
    ['a level in the wrong case', { level: 'ERROR' }, 'level'],
    ['a bad level in a list', { level: 'error,fatal' }, 'level'],
    ['an empty entry in a list', { level: 'error,' }, 'level'],
    ['only commas', { level: ',' }, 'level'],
    ['all inside a list', { level: 'all,error' }, 'level'],
    ['requestId 0', { requestId: '0' }, 'requestId'],
    ['limit 0', { limit: '0' }, 'limit'],
    ['since a date (findings filter by id only)', { since: '2024-01-02' }, 'since'],
  ])('refuses %s', (_name, q, param) => {
    expect(badQuery(() => findingFilter(q))).toMatch(new RegExp(`^${param}: `));
  });
});

describe('each list declares exactly the parameters its filter reads', () => {
  /** The query keys a filter function reads (a Proxy records every lookup). */
  const readKeys = (fn: (q: Query) => unknown): string[] => {
    const read = new Set<string>();
    fn(new Proxy({}, { get: (_t, k) => (typeof k === 'string' && read.add(k), undefined) }));
    return [...read].sort();
  };
  it.each<[string, (q: Query) => unknown, readonly string[]]>([
    ['GET /__admin/requests', requestFilter, REQUEST_PARAMS],
    ['GET /__admin/violations', violationFilter, VIOLATION_PARAMS],
    ['GET /__admin/sqm/sessions', sessionFilter, SESSION_PARAMS],
    ['GET /__admin/cer/reports', cerReportFilter, CER_REPORT_PARAMS],
  ])('%s', (_route, filter, declared) => {
    expect(readKeys(filter)).toEqual([...declared].sort());
  });
});

describe('onlyParams', () => {
  it('passes the accepted ones, refuses another naming it, the closest and the accepted ones', () => {
    expect(() => onlyParams({ partner: 'w', limit: '1' }, ['partner', 'limit'])).not.toThrow();
    expect(badQuery(() => onlyParams({ partnr: 'w' }, ['partner', 'limit']))).toBe('partnr: unknown query parameter (did you mean "partner"?); this route takes partner, limit');
    expect(badQuery(() => onlyParams({ x: '1' }, []))).toBe('x: unknown query parameter; this route takes no query parameters');
  });
});
