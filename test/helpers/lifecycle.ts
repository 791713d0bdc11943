// The one e2e lifecycle (msw-style): `const mock = useMock()` starts an ephemeral server in beforeAll
// (db ':memory:', a temp fileshare), puts back its starting scenario and empties its store after each
// test, closes it and removes the temp dir in afterAll. `withMock` does the same around one callback.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startMockServer, type MockOptions, type MockServer, type Scenario } from '../../server';

export interface UseMockOptions extends MockOptions {
  /** 'suite' (default): one server for the file or describe block, reset after each test; 'test': a fresh one per test. */
  lifetime?: 'suite' | 'test';
  /** Where the fileshare goes inside the temp dir (default `fileshare`); ignored when `fileshare` is given. */
  fileshareIn?: string;
}

/** The running server (its fields, read once started) and its temp dir. */
export interface MockHandle extends MockServer {
  readonly current: MockServer;
  readonly dir: string;
}

interface Ephemeral {
  server: MockServer;
  dir: string;
  /** What afterEach sets back: the scenario the server started with. */
  scenario: Scenario | string;
}

async function startEphemeral(o: UseMockOptions): Promise<Ephemeral> {
  const { lifetime: _lifetime, fileshareIn, ...options } = o;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqm-cer-mock-'));
  const fileshare = options.fileshare ?? path.join(dir, fileshareIn ?? 'fileshare');
  try {
    const server = await startMockServer({ port: 0, db: ':memory:', quiet: true, ...options, fileshare });
    const scenario = typeof options.scenario === 'string' ? fs.readFileSync(options.scenario, 'utf8') : (options.scenario ?? {});
    return { server, dir, scenario };
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

async function dispose(e: Ephemeral | undefined): Promise<void> {
  if (!e) return;
  await e.server.close();
  fs.rmSync(e.dir, { recursive: true, force: true });
}

class Handle implements MockHandle {
  running?: Ephemeral;
  private get live(): Ephemeral {
    if (!this.running) throw new Error('useMock(): no server yet: read the mock inside a test or a hook, not at describe time');
    return this.running;
  }
  get current() {
    return this.live.server;
  }
  get dir() {
    return this.live.dir;
  }
  get url() {
    return this.current.url;
  }
  get cerUrl() {
    return this.current.cerUrl;
  }
  get relayUrl() {
    return this.current.relayUrl;
  }
  get listeners() {
    return this.current.listeners;
  }
  get client() {
    return this.current.client;
  }
  get fileshare() {
    return this.current.fileshare;
  }
  get context() {
    return this.current.context;
  }
  close(): Promise<void> {
    return this.current.close();
  }
}

/**
 * Registers the hooks of one ephemeral server and returns its handle. Options may be a function,
 * read when the server starts (to point at another handle's url; its lifetime is 'suite').
 * @example
 * const service = useMock();
 * const relay = useMock(() => ({ relayPort: 0, upstream: service.url }));
 * it('answers', async () => expect((await send(`${service.url}/sqm/windows/sqmserver.dll`)).status).toBe(200));
 */
export function useMock(options: UseMockOptions | (() => UseMockOptions) = {}): MockHandle {
  const handle = new Handle();
  const read = () => (typeof options === 'function' ? options() : options);
  const start = async () => {
    handle.running = await startEphemeral(read());
  };
  const stop = async () => {
    const e = handle.running;
    handle.running = undefined;
    await dispose(e);
  };
  if (typeof options !== 'function' && options.lifetime === 'test') {
    beforeEach(start);
    afterEach(stop);
  } else {
    beforeAll(start);
    afterEach(async () => {
      if (!handle.running) return;
      await handle.client.setScenario(handle.running.scenario);
      await handle.client.reset();
    });
    afterAll(stop);
  }
  return handle;
}

/**
 * Starts an ephemeral server (the defaults of useMock) for one callback, then closes it.
 * @example const garbage = await withMock({ scenario }, (m) => rawExchange(m.url, UPLOAD, body));
 */
export async function withMock<T>(options: UseMockOptions, use: (mock: MockServer, dir: string) => Promise<T>): Promise<T> {
  const e = await startEphemeral(options);
  try {
    return await use(e.server, e.dir);
  } finally {
    await dispose(e);
  }
}
