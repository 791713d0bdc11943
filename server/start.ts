// Builds one server instance: store, scenario engine, listeners. Everything is passed down
// from here; nothing is global, so a test can run several instances side by side.

import { setMaxListeners } from 'node:events';
import type { z } from 'zod';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { AdminClient } from './admin/client';
import { createListener, type ListenerRole } from './app';
import { preParseConnections } from './http/target-socket';
import { resolveConfig, type MockConfig, type MockOptions } from './config';
import type { MockContext } from './context';
import { Metrics } from './metrics';
import { ERR, quote } from './errors';
import { FolderProblem, missingFolders } from './fs/make-folders';
import { cabextractRunner } from './cab';
import { BodyBudget } from './limits/body-budget';
import { BodyCollector } from './limits/collect';
import { createLogger } from './log';
import { closeListeners } from './shutdown';
import { openModules, type ProtocolModule } from './core/module';
import { cleanFileshareOrphans } from './protocols/cer/fileshare';
import { MODULES } from './protocols/registry';
import { scenarioSchemaFor, type Scenario } from './protocols/scenario';
import { Clock } from './scenario/clock';
import { ScenarioEngine } from './scenario/engine';
import { loadScenarioFile, validateScenario } from './scenario/load';
import { watchScenario } from './scenario/watch';
import type { ScenarioCore } from './scenario/types';
import { Store } from './store';
import { loadCa, loadServerTls } from './tls-files';

export interface Listener {
  role: ListenerRole;
  url: string;
  server: http.Server;
}

export interface MockServer {
  /** Base URL of the main listener, e.g. `http://127.0.0.1:54321`. */
  url: string;
  /** Base URL of the CER listener, when `cerPort` was given. */
  cerUrl?: string;
  /** Base URL of the SQM relay listener, when `relayPort` was given. */
  relayUrl?: string;
  listeners: Listener[];
  /** Typed client of this instance's admin API. */
  client: AdminClient;
  /** The CER fileshare folder: the one given, else (with a `:memory:` store) a temporary folder that close() removes. */
  fileshare: string;
  context: MockContext;
  /**
   * Stops listening, lets in-flight requests finish for up to `shutdownTimeoutMs` (then closes
   * their connections), closes the store. Calling it again returns the same promise.
   */
  close(): Promise<void>;
}

function loadScenario(s: string | Scenario | undefined, schema: z.ZodType<ScenarioCore>): ScenarioCore {
  if (s === undefined) return {};
  return typeof s === 'string' ? loadScenarioFile(s, schema) : validateScenario(s, 'scenario option', schema);
}

export interface StartOptions extends MockOptions {
  /** The protocol modules to serve (default: the registry's, server/protocols/registry.ts). */
  modules?: readonly ProtocolModule[];
  /**
   * Log a line per protocol request, and scenario changes and resets (the CLI does unless `quiet`).
   * Default false.
   */
  requestLog?: boolean;
}

/**
 * The programmatic API leaves nothing behind by default (issue 14 item 3): the store is `:memory:`
 * and, with a `:memory:` store, the fileshare is a temporary folder (`remove` deletes it).
 */
function ephemeralDefaults(o: MockOptions): { options: MockOptions; remove: () => void } {
  const db = o.db ?? ':memory:';
  if (o.fileshare !== undefined || db !== ':memory:') return { options: { ...o, db }, remove: () => {} };
  const fileshare = fs.mkdtempSync(path.join(os.tmpdir(), 'sqm-cer-mock-fileshare-'));
  return { options: { ...o, db, fileshare }, remove: () => fs.rmSync(fileshare, { recursive: true, force: true }) };
}

/** The fileshare is made when the first file is written; a file in its way is refused now, not then. */
function checkFileshare(dir: string): void {
  try {
    missingFolders(dir);
  } catch (e) {
    if (e instanceof FolderProblem) throw ERR.BAD_FOLDER({ flag: '--fileshare', dir, reason: e.message });
    throw e;
  }
}

function createServer(tls: { cert: Buffer; key: Buffer } | undefined, handler: http.RequestListener): http.Server {
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  // Request-targets Node's parser refuses (`PUT \PersistedCabs\…`) are still captured (INTERFACE.md section 2).
  preParseConnections(server);
  return server;
}

function listen(server: http.Server, port: number, host: string, role: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(ERR.LISTEN({ role, host, port, reason: e.code === 'EADDRINUSE' ? 'port already in use' : e.message })));
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** Option combinations that cannot work, refused before anything starts. */
function checkConfig(config: MockConfig): void {
  if (config.relayPort !== undefined && !config.upstream) {
    throw ERR.BAD_OPTION({ flag: '--relay-port', needs: '--upstream', why: 'the relay forwards to it' });
  }
  if (config.upstream !== undefined && !/^https?:\/\/[^/]/i.test(config.upstream)) {
    throw ERR.BAD_OPTION({ subject: '--upstream', expected: 'an http:// or https:// base URL', got: quote(config.upstream) });
  }
  for (const [name, flag] of [
    ['upstreamTimeoutMs', '--upstream-timeout-ms'],
    ['upstreamIdleMs', '--upstream-idle-ms'],
    ['upstreamAnswerLimit', '--upstream-answer-limit'],
  ] as const) {
    if (!Number.isInteger(config[name]) || config[name] < 1) throw ERR.BAD_OPTION({ subject: flag, expected: 'a whole number from 1', got: quote(String(config[name])) });
  }
  if (config.watch && typeof config.scenario !== 'string') {
    throw ERR.BAD_OPTION({ flag: '--watch', needs: '--scenario FILE', why: 'there is no file to watch' });
  }
  if ((config.tlsCert === undefined) !== (config.tlsKey === undefined)) {
    throw ERR.BAD_OPTION({ together: ['tlsCert', 'tlsKey'] });
  }
}

/**
 * Starts a mock server.
 * @example
 * const mock = await startMockServer({ port: 0, db: ':memory:' });
 * await fetch(`${mock.url}/sqm/windows/sqmserver.dll`, { method: 'POST', body });
 * const sessions = await mock.client.sqmSessions({ partner: 'windows' });
 * await mock.close();
 */
export async function startMockServer(options: StartOptions = {}): Promise<MockServer> {
  const ephemeral = ephemeralDefaults(options);
  try {
    return await start({ ...options, ...ephemeral.options }, ephemeral.remove);
  } catch (e) {
    ephemeral.remove();
    throw e;
  }
}

async function start(options: StartOptions, removeTemporary: () => void): Promise<MockServer> {
  const config = resolveConfig(options);
  checkConfig(config);
  // Every file named is checked before anything starts: a bad one is one line naming its flag.
  const tls = config.tlsCert && config.tlsKey ? loadServerTls(config.tlsCert, config.tlsKey) : undefined;
  const upstreamCa = config.upstreamCa ? loadCa('--upstream-ca', config.upstreamCa) : undefined;
  checkFileshare(config.fileshare);
  const moduleList = options.modules ?? MODULES;
  const schema = scenarioSchemaFor(moduleList);
  const clock = new Clock();
  const engine = new ScenarioEngine(loadScenario(config.scenario, schema), schema, clock);
  const log = createLogger({ quiet: config.quiet, format: config.logFormat, activity: options.requestLog === true });
  const store = Store.open(config.db, {
    parts: moduleList.flatMap((m) => (m.capture ? [m.capture] : [])),
    onHealth: (h) => (h.status === 'ok' ? log.info('capture store ok again') : log.error(`capture store degraded: ${h.reason}`)),
  });
  const modules = openModules(moduleList, store);
  // Temp files of fileshare copies a killed earlier run left (issue 13 item 3).
  for (const f of cleanFileshareOrphans(config.fileshare)) log.info(`removed the unfinished fileshare copy ${f}`);
  const shutdown = new AbortController();
  // Every delayed or hanging answer listens for shutdown; 50 at once are normal, not a leak.
  setMaxListeners(0, shutdown.signal);
  const collector = new BodyCollector();
  const bodyBudget = config.maxInflightBodyMb > 0 ? new BodyBudget(config.maxInflightBodyMb * 2 ** 20, config.bodyWaitMs, (n) => collector.add(n)) : undefined;
  // Removes the temp folders a killed earlier run left (issue 13 item 9), then finds cabextract.
  const cabextract = cabextractRunner();
  const ctx: MockContext = { config, store, engine, clock, log, shutdown: shutdown.signal, upstreamCa, bodyBudget, cabextract, metrics: new Metrics() };
  const scheme = config.tlsCert ? 'https' : 'http';
  const listeners: Listener[] = [];
  const stopWatching = config.watch ? watchScenario(config.scenario as string, engine, ctx.log) : () => {};
  const settled: (() => Promise<void>)[] = [];
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      shutdown.abort();
      stopWatching();
      // Pending /__admin/wait calls answer now rather than hold their connections to the deadline.
      store.waiters.cancelAll();
      await closeListeners(
        listeners.map((l, i) => ({ server: l.server, settled: settled[i] })),
        config.shutdownTimeoutMs,
        log,
      );
      cabextract?.close();
      await store.close();
      removeTemporary();
      log.flush();
    })());
  try {
    const wanted: [ListenerRole, number | undefined][] = [
      ['main', config.port],
      ['cer', config.cerPort],
      ['relay', config.relayPort],
    ];
    for (const [role, port] of wanted) {
      if (port === undefined) continue;
      const handler = createListener(ctx, role, modules);
      const server = createServer(tls, handler);
      const actual = await listen(server, port, config.host, role);
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      listeners.push({ role, url: `${scheme}://${host}:${actual}`, server });
      settled.push(handler.settled);
    }
  } catch (e) {
    await close();
    throw e;
  }
  const url = listeners[0].url;
  return {
    url,
    cerUrl: listeners.find((l) => l.role === 'cer')?.url,
    relayUrl: listeners.find((l) => l.role === 'relay')?.url,
    listeners,
    client: new AdminClient(url, { token: config.adminToken, modules: moduleList }),
    fileshare: config.fileshare,
    context: ctx,
    close,
  };
}
