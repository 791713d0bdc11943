// The CER part of the admin API (INTERFACE.md section 4): reports with their level-2 cabinets,
// buckets, a report's cabinet bytes, and the `cer-report` wait kind.

import type { AdminPart } from '../../core/module';
import { int, paramNames, sinceIdOnly, str, type Query } from '../../core/query';
import type { CerModuleState } from './claims';
import { cerReportsJson } from './present';
import type { CerReportFilter } from './state';
import { werReportLayout } from './layout';

/** What GET /__admin/cer/reports (and a wait for `cer-report`) filters by. */
export type CerReportQuery = {
  /** The WERREPORT's event type (APPCRASH, …). */
  eventType?: string;
  bucket?: number;
  requestId?: number;
  limit?: number;
  /** Only reports after this id. */
  since?: number;
};
export const CER_REPORT_PARAMS = paramNames<CerReportQuery>({ eventType: true, bucket: true, requestId: true, limit: true, since: true });
/** What GET /__admin/cer/auth filters by. */
export type CerAuthQuery = { requestId?: number };

export function cerReportFilter(q: Query): CerReportFilter {
  const sinceId = sinceIdOnly(q);
  return { eventType: str(q, 'eventType'), bucket: int(q, 'bucket', 0), requestId: int(q, 'requestId', 1), limit: int(q, 'limit', 1), sinceId };
}

export const cerAdmin: AdminPart<CerModuleState> = {
  routes: [
    { method: 'GET', path: '/cer/reports', params: CER_REPORT_PARAMS, handle: ({ query }, s) => ({ json: { reports: cerReportsJson(s.store, cerReportFilter(query)) } }) },
    { method: 'GET', path: '/cer/buckets', handle: (_req, s) => ({ json: { buckets: s.store.buckets() } }) },
    {
      method: 'GET',
      path: '/cer/auth',
      params: paramNames<CerAuthQuery>({ requestId: true }),
      handle: ({ query }, s) => ({ json: { auth: s.store.auths(int(query, 'requestId', 1)) } }),
    },
    {
      method: 'GET',
      path: '/cer/reports/:id/cab',
      handle: ({ params }, s) => {
        const body = s.store.level2Body(Number(params.id));
        return body ? { bytes: body, contentType: 'application/vnd.ms-cab-compressed' } : { notFound: `report ${params.id} has no level-2 cabinet` };
      },
    },
  ],
  waitParams: { 'cer-report': CER_REPORT_PARAMS },
  layout: ({ protocol, body }) => (protocol === 'cer' ? werReportLayout(body) : undefined),
  waitKinds: {
    'cer-report': (query, s) => {
      const f = cerReportFilter(query);
      return { count: () => s.store.countReports(f), records: () => cerReportsJson(s.store, f) };
    },
  },
};
