// The CER part of the typed admin client: reports, buckets, authentications and a report's level-2 cabinet.

import type { AdminCall } from '../../core/module';
import type { CerAuthQuery, CerReportQuery } from './admin';
import type { presentCerReport } from './present';
import type { CerAuthRow, CerBucketRow } from './state';

export type { CerAuthQuery, CerReportQuery } from './admin';

/** A CER report as `GET /__admin/cer/reports` shows it. */
export type CerReportJson = ReturnType<typeof presentCerReport>;

/** Client methods of the CER module (merged into AdminClient). */
export const cerClient = (api: AdminCall) => ({
  /**
   * Level-1 reports with their signature, bucket and level-2 cabinet (GET /__admin/cer/reports).
   * @example const [report] = await mock.client.cerReports({ eventType: 'APPCRASH' }); report.level2?.files
   */
  cerReports: async (f: CerReportQuery = {}) => (await api.json<{ reports: CerReportJson[] }>('GET', '/cer/reports', f)).reports,
  /**
   * Every bucket assigned, with its hits (GET /__admin/cer/buckets).
   * @example expect((await mock.client.cerBuckets())[0]).toMatchObject({ bucket: 100, hits: 2 });
   */
  cerBuckets: async () => (await api.json<{ buckets: CerBucketRow[] }>('GET', '/cer/buckets')).buckets,
  /**
   * Who CER requests authenticated as (cer.requireAuth): scheme, user, domain, workstation, verified.
   * @example const [auth] = await mock.client.cerAuth({ requestId: 3 }); auth.user
   */
  cerAuth: async (f: CerAuthQuery = {}) => (await api.json<{ auth: CerAuthRow[] }>('GET', '/cer/auth', f)).auth,
  /**
   * The level-2 cabinet of a report, byte for byte (GET /__admin/cer/reports/:id/cab).
   * @example const cab = await mock.client.cerCab(report.id); cab.subarray(0, 4).toString() // 'MSCF'
   */
  cerCab: (reportId: number): Promise<Buffer> => api.bytes(`/cer/reports/${reportId}/cab`, `report ${reportId} has no level-2 cabinet`),
});
