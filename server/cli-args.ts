// Parses command-line flags (INTERFACE.md section 1) into MockOptions with node:util parseArgs.
// Every problem is a MockError naming the flag and what was expected.

import { parseArgs } from 'node:util';
import type { MockOptions } from './config';
import { MockError } from './errors';

export const USAGE = `usage: sqm-cer-mock [flags]
  --port N          main listener (default 8080; 0 picks a free port)
  --cer-port N      extra listener for CER clients (default off; clients use 1273)
  --host ADDR       bind address (default 127.0.0.1)
  --db FILE         SQLite capture store (default ./data/capture.sqlite; :memory: allowed)
  --scenario FILE   scenario file, YAML or JSON (default: built-in happy path)
  --watch           reload the scenario file when it changes (a bad edit keeps the previous one)
  --fileshare DIR   CER fileshare directory (default ./data/fileshare)
  --tls-cert FILE   PEM certificate: serve HTTPS on every listener (with --tls-key)
  --tls-key FILE    PEM private key
  --admin-token T   require "Authorization: Bearer T" on /__admin/*
  --relay-port N    SQM relay listener (Windows Feedback Forwarder role; clients used 53533); needs --upstream
  --upstream URL    base URL the relay and the CEIP redirect forward to (path and query appended)
  --upstream-ca F   PEM CA to trust for an https upstream
  --relay-datapoint-id N     the DWORD data point id the relay adds (default 0x4D4F434B, 'MOCK')
  --relay-datapoint-value N  its value (default 1)
  --quiet           print nothing but errors' exit messages
  --help            this text

  sqm-cer-mock manifest encode FILE.yaml -o OUT.bin   A-SQM manifest YAML → binary package
  sqm-cer-mock manifest decode FILE.bin               binary package → YAML (findings on stderr)`;


export type CliParse = { help: true } | { help: false; options: MockOptions };

export function parseCliArgs(argv: string[]): CliParse {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' }, 'cer-port': { type: 'string' }, host: { type: 'string' }, db: { type: 'string' },
        scenario: { type: 'string' }, fileshare: { type: 'string' }, 'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' }, 'admin-token': { type: 'string' }, quiet: { type: 'boolean' }, watch: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }, 'relay-port': { type: 'string' }, upstream: { type: 'string' }, 'upstream-ca': { type: 'string' },
        'relay-datapoint-id': { type: 'string' }, 'relay-datapoint-value': { type: 'string' },
      },
    });
  } catch (e) {
    throw new MockError('BAD_FLAG', `${(e as Error).message.split('\n')[0]} (see --help)`);
  }
  const v = parsed.values;
  if (v.help) return { help: true };
  // `--host=` or `--db ""` would silently mean "all interfaces" or "a temporary database".
  for (const [flag, value] of Object.entries(v)) {
    if (value === '') throw new MockError('BAD_FLAG', `--${flag}: expected a value, got ""`);
  }
  if ((v['tls-cert'] === undefined) !== (v['tls-key'] === undefined)) {
    throw new MockError('BAD_FLAG', '--tls-cert and --tls-key go together: give both or neither');
  }
  return {
    help: false,
    options: {
      port: port('--port', v.port),
      cerPort: port('--cer-port', v['cer-port']),
      host: v.host,
      db: v.db,
      scenario: v.scenario,
      fileshare: v.fileshare,
      tlsCert: v['tls-cert'],
      tlsKey: v['tls-key'],
      adminToken: v['admin-token'],
      quiet: v.quiet,
      relayPort: port('--relay-port', v['relay-port']),
      upstream: v.upstream,
      upstreamCa: v['upstream-ca'],
      relayDatapointId: dword('--relay-datapoint-id', v['relay-datapoint-id']),
      relayDatapointValue: dword('--relay-datapoint-value', v['relay-datapoint-value']),
      watch: v.watch,
    },
  };
}

function dword(flag: string, s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = /^0x[0-9a-f]+$/i.test(s) ? parseInt(s, 16) : /^\d+$/.test(s) ? Number(s) : NaN;
  if (!Number.isInteger(n) || n > 0xffffffff) throw new MockError('BAD_FLAG', `${flag}: expected a DWORD (0..4294967295, decimal or 0x hex), got "${s}"`);
  return n;
}

function port(flag: string, s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  if (!/^\d+$/.test(s) || Number(s) > 65535) throw new MockError('BAD_FLAG', `${flag}: expected a port number 0..65535, got "${s}"`);
  return Number(s);
}
