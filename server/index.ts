// Public entry point of the package: start a mock from a test, and its typed admin client.

export { startMockServer, type MockServer, type Listener } from './start';
export { AdminClient, WaitTimeoutError } from './admin/client';
export type { MockOptions } from './config';
export type { Scenario } from './scenario/types';
export { MockError } from './errors';
