// Public entry point of the package: start a mock from a test, and its typed admin client; the
// builders are in sqm-cer-mock/testing (server/testing), the two SQM v1 ones re-exported here.

export { startMockServer, type MockServer, type Listener, type StartOptions } from './start';
export { AdminClient, AdminApiError, WaitTimeoutError } from './admin/client';
export type { RequestSummary, SessionJson, Violation, WaitKind, Filters, CerReportJson } from './admin/client';
export { buildSqmSession, buildSqmUpload, type BuildOptions, type BuildSection } from './testing';
export type { MockOptions } from './config';
export type { Scenario } from './protocols/scenario';
export { MockError } from './errors';
