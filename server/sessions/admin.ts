// The SQM session part of the admin API (INTERFACE.md section 4): GET /__admin/sqm/sessions, the
// `sqm-session` wait kind, and their filters.

import { ERR, quote } from '../errors';
import type { AdminPart } from '../core/module';
import { cutPage, int, oneMore, paging, paramNames, sinceIdOnly, str, type Query } from '../core/query';
import type { Queries } from '../store';
import { sessionById, sessionList } from './present';
import { sessionsLayout } from './layout';
import type { SessionFilter, SessionQueries } from './store';

export interface SessionsState {
  sessions: SessionQueries;
  core: Queries;
}

const SESSION_PROTOCOLS: Record<string, number> = { '1': 1, '2': 2, 'sqm-v1': 1, 'sqm-v2': 2 };

/** What GET /__admin/sqm/sessions (and a wait for `sqm-session`) filters by. */
export type SessionQuery = {
  partner?: string;
  /** The machine id (ClientUniqueIdentifier), braces and case ignored. */
  mid?: string;
  protocol?: 'sqm-v1' | 'sqm-v2' | 1 | 2;
  /** The sessions of one request (a v2 payload holds several). */
  requestId?: number;
  limit?: number;
  /** Only sessions after this id. */
  since?: number;
};
export const SESSION_PARAMS = paramNames<SessionQuery>({ partner: true, mid: true, protocol: true, requestId: true, limit: true, since: true });

export function sessionFilter(q: Query): SessionFilter {
  const p = str(q, 'protocol');
  // Own keys only: `protocol=constructor` must not pick up Object's members.
  const protocol = p !== undefined && Object.prototype.hasOwnProperty.call(SESSION_PROTOCOLS, p) ? SESSION_PROTOCOLS[p] : undefined;
  if (p !== undefined && protocol === undefined) throw ERR.BAD_QUERY({ subject: 'protocol', expected: '1, 2, sqm-v1 or sqm-v2', got: quote(p) });
  const sinceId = sinceIdOnly(q);
  return { partner: str(q, 'partner'), mid: normalizeMid(str(q, 'mid')), protocol, requestId: int(q, 'requestId', 1), ...paging(q), sinceId };
}

const normalizeMid = (m: string | undefined): string | undefined => (m === undefined ? undefined : `{${m.replace(/[{}]/g, '').toUpperCase()}}`);

export const sessionsAdmin: AdminPart<SessionsState> = {
  routes: [
    {
      method: 'GET',
      path: '/sqm/sessions',
      params: SESSION_PARAMS,
      handle: ({ query }, s) => {
        const f = sessionFilter(query);
        const page = cutPage(s.sessions.sessionIds(oneMore(f)), f.first, (id) => id);
        return { json: { sessions: sessionList(s, page.rows) }, next: page.next };
      },
    },
    {
      method: 'GET',
      path: '/sqm/sessions/:id',
      handle: ({ params }, s) => {
        const session = /^\d+$/.test(params.id) ? sessionById(s, Number(params.id)) : undefined;
        return session ? { json: session } : { notFound: `no session ${params.id}` };
      },
    },
  ],
  waitParams: { 'sqm-session': SESSION_PARAMS },
  layout: ({ id }, s) => {
    const rows = s.sessions.sessionsByIds(s.sessions.sessionIds({ requestId: id }), 0);
    return rows.length === 0 ? undefined : sessionsLayout(rows);
  },
  waitKinds: {
    'sqm-session': (query, s) => {
      const f = sessionFilter(query);
      return { count: () => s.sessions.countSessions(f), records: () => sessionList(s, s.sessions.sessionIds(f)) };
    },
  },
};
