// The CER part of the typed admin client: reports, buckets and a report's level-2 cabinet.

import type { AdminCall, Filters } from '../../core/module';
import type { presentCerReport } from './present';
import type { CerAuthRow, CerBucketRow } from './state';

/** A CER report as `GET /__admin/cer/reports` shows it. */
export type CerReportJson = ReturnType<typeof presentCerReport>;

/** Client methods of the CER module (merged into AdminClient). */
export const cerClient = (api: AdminCall) => ({
  cerReports: async (f: Filters = {}) => (await api.json<{ reports: CerReportJson[] }>('GET', '/cer/reports', f)).reports,
  cerBuckets: async () => (await api.json<{ buckets: CerBucketRow[] }>('GET', '/cer/buckets')).buckets,
  /** Who CER requests authenticated as (cer.requireAuth): scheme, user, domain, workstation, verified. */
  cerAuth: async (f: Filters = {}) => (await api.json<{ auth: CerAuthRow[] }>('GET', '/cer/auth', f)).auth,
  /** The level-2 cabinet of a report, byte for byte. */
  cerCab: (reportId: number): Promise<Buffer> => api.bytes(`/cer/reports/${reportId}/cab`, `report ${reportId} has no level-2 cabinet`),
});
