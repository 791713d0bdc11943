// Options of a server instance (INTERFACE.md section 1) and their defaults; the CLI parses
// flags into these, the programmatic API takes them as they are.

import type { Scenario } from './protocols/scenario';

export interface MockOptions {
  /** Main listener port (every protocol and the admin API). 0 picks a free port. Default 8080. */
  port?: number;
  /** Extra listener for CER clients (their default port is 1273). Off when undefined. */
  cerPort?: number;
  /** Bind address. Default 127.0.0.1. */
  host?: string;
  /** SQLite capture store; `:memory:` allowed. Default ./data/capture.sqlite. */
  db?: string;
  /** Scenario: a YAML/JSON file path, or a scenario object. Default: the built-in happy path. */
  scenario?: string | Scenario;
  /** Reload the scenario file when it changes (a bad edit keeps the previous one). */
  watch?: boolean;
  /** CER fileshare directory. Default ./data/fileshare. */
  fileshare?: string;
  /** PEM certificate and key files: serve HTTPS on every listener. */
  tlsCert?: string;
  tlsKey?: string;
  /** When set, /__admin/* requires `Authorization: Bearer <token>`. */
  adminToken?: string;
  /** Base URL the relay and the CEIP redirect forward to. */
  upstream?: string;
  /** PEM file of a CA to trust for an https upstream. */
  upstreamCa?: string;
  /** SQM relay listener (Windows Feedback Forwarder role); needs `upstream`. Off when undefined. */
  relayPort?: number;
  /** The DWORD data point the relay adds to each session (MS-SQMCS 3.3). */
  relayDatapointId?: number;
  relayDatapointValue?: number;
  /** No log lines (the CLI still prints its `listening` lines). Default false. */
  quiet?: boolean;
}

export interface MockConfig {
  port: number;
  cerPort?: number;
  host: string;
  db: string;
  scenario?: string | Scenario;
  watch: boolean;
  fileshare: string;
  tlsCert?: string;
  tlsKey?: string;
  adminToken?: string;
  upstream?: string;
  upstreamCa?: string;
  relayPort?: number;
  relayDatapointId: number;
  relayDatapointValue: number;
  quiet: boolean;
}

export const DEFAULTS = {
  port: 8080,
  host: '127.0.0.1',
  db: './data/capture.sqlite',
  fileshare: './data/fileshare',
  /** Our choice (the documents name none): 0x4D4F434B is 'MOCK' in ASCII. */
  relayDatapointId: 0x4d4f434b,
  relayDatapointValue: 1,
} as const;

export function resolveConfig(o: MockOptions): MockConfig {
  return {
    port: o.port ?? DEFAULTS.port,
    cerPort: o.cerPort,
    host: o.host ?? DEFAULTS.host,
    db: o.db ?? DEFAULTS.db,
    scenario: o.scenario,
    watch: o.watch ?? false,
    fileshare: o.fileshare ?? DEFAULTS.fileshare,
    tlsCert: o.tlsCert,
    tlsKey: o.tlsKey,
    adminToken: o.adminToken,
    upstream: o.upstream,
    upstreamCa: o.upstreamCa,
    relayPort: o.relayPort,
    relayDatapointId: o.relayDatapointId ?? DEFAULTS.relayDatapointId,
    relayDatapointValue: o.relayDatapointValue ?? DEFAULTS.relayDatapointValue,
    quiet: o.quiet ?? false,
  };
}
