// Options of a server instance (INTERFACE.md section 1) and their defaults, from the option table
// in options.ts; the CLI parses flags into these, the programmatic API takes them as they are.

import { API_OPTION_NAMES, OPTIONS, OPTION_DEFAULTS, type ConfigFromTable, type OptionsFromTable } from './options';
import type { ScenarioCore as Scenario } from './scenario/types';

/** What startMockServer takes; every key is optional. One key per API option of OPTIONS (checked below). */
export interface MockOptions {
  /** Main listener port (every protocol and the admin API). 0 picks a free port. Default 8080. */
  port?: number;
  /** Extra listener for CER clients (their default port is 1273). Off when undefined. */
  cerPort?: number;
  /** Bind address. Default 127.0.0.1. */
  host?: string;
  /** SQLite capture store; `:memory:` allowed. Default ./data/capture.sqlite on the command line; from startMockServer `:memory:`. */
  db?: string;
  /** Scenario: a YAML/JSON file path, or a scenario object. Default: the built-in happy path. */
  scenario?: string | Scenario;
  /** Reload the scenario file when it changes (a bad edit keeps the previous one). */
  watch?: boolean;
  /**
   * CER fileshare directory. Default ./data/fileshare on the command line and with a file `db`;
   * from startMockServer with a `:memory:` db, a temporary folder that close() removes (`mock.fileshare`).
   */
  fileshare?: string;
  /** PEM certificate file: serve HTTPS on every listener. Give both tlsCert and tlsKey or neither. */
  tlsCert?: string;
  /** PEM private key file, with tlsCert. */
  tlsKey?: string;
  /** When set, /__admin/* requires `Authorization: Bearer <token>`. */
  adminToken?: string;
  /** More `Host` names the token-less admin API answers to, comma-separated (`*`: any); loopback names, IP literals and `host` always. */
  adminAllowedHosts?: string;
  /** SQM relay listener (Windows Feedback Forwarder role); needs `upstream`. Off when undefined. */
  relayPort?: number;
  /** Base URL (http:// or https://) the relay and the CEIP redirect forward to. */
  upstream?: string;
  /** PEM file of a CA to trust for an https upstream. */
  upstreamCa?: string;
  /** Deadline (ms) for an upstream's whole answer, from the request sent to its last byte (then 504). Default 30000. */
  upstreamTimeoutMs?: number;
  /** Longest silence (ms) on the upstream connection, before the answer or within it (then 504). Default 10000. */
  upstreamIdleMs?: number;
  /** Largest upstream answer body (bytes) passed back; a longer one gets 502. Default 67108864 (64 MiB). */
  upstreamAnswerLimit?: number;
  /** The DWORD data point id the relay adds to each session (MS-SQMCS 3.3). Default 0x4D4F434B, MOCK in ASCII. */
  relayDatapointId?: number;
  /** The value of that data point. Default 1. */
  relayDatapointValue?: number;
  /** Request-body bytes held in memory at once, all listeners together, in MiB; 0: no limit. Default 32. */
  maxInflightBodyMb?: number;
  /** How long a new request waits for room in that budget before a 503 with Retry-After. Default 120000 ms. */
  bodyWaitMs?: number;
  /** On close (SIGINT/SIGTERM for the CLI), how long in-flight requests get before their connections are closed. Default 10000. */
  shutdownTimeoutMs?: number;
  /** Also store the decompressed section data of compressed SQM sessions (default: only the raw body; it is decompressed again when read). */
  storeDecompressed?: boolean;
  /** No log lines (the CLI still prints its `listening` lines). Default false. */
  quiet?: boolean;
  /** Log lines as text, or one JSON object per line. Default text. */
  logFormat?: 'text' | 'json';
}

/** MockOptions resolved: every option with a default (booleans: false) is set. */
export type MockConfig = ConfigFromTable;

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
/** Fails to compile when MockOptions and the option table drift apart (options.test.ts checks the keys too). */
export type MockOptionsMatchTable = Assert<Equals<MockOptions, OptionsFromTable>>;

export const DEFAULTS = OPTION_DEFAULTS;

export function resolveConfig(o: MockOptions): MockConfig {
  const config: Record<string, unknown> = {};
  for (const name of API_OPTION_NAMES) {
    const fallback = OPTIONS[name].kind === 'boolean' ? false : (DEFAULTS as Partial<Record<string, unknown>>)[name];
    config[name] = o[name] ?? fallback;
  }
  return config as MockConfig;
}
