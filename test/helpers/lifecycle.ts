// The e2e lifecycle most suites share: one mock per file on a temp fileshare, scenario and store
// reset after each test, everything closed and removed at the end.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startMockServer, type MockOptions, type MockServer } from '../../server';

/** Registers beforeAll/afterEach/afterAll; `set` receives the running mock. */
export function useMockWithFileshare(prefix: string, set: (mock: MockServer) => void, options: MockOptions = {}): void {
  let dir = '';
  let mock: MockServer | undefined;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    mock = await startMockServer({ port: 0, db: ':memory:', quiet: true, fileshare: path.join(dir, 'fileshare'), ...options });
    set(mock);
  });
  afterEach(async () => {
    await mock!.client.setScenario({});
    await mock!.client.reset();
  });
  afterAll(async () => {
    await mock?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
}
