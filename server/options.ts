// The one table of server options (INTERFACE.md section 1). The parseArgs spec and value parsing
// (cli-args.ts), the --help text, the flags table of docs/cli.md, the defaults and the types come from it.

import type { ScenarioCore as Scenario } from './scenario/types';

/** How a value is written on the command line, and what it is in MockOptions. */
export interface OptionKinds {
  port: number; // 0..65535, decimal
  uint32: number; // a DWORD, decimal or 0x hex
  ms: number; // milliseconds, decimal, 0..2^31-1 (what setTimeout takes)
  string: string;
  path: string;
  url: string; // checked by startMockServer (http:// or https://), for the API too
  boolean: boolean; // a bare flag; off unless given
  scenario: string | Scenario; // a file on the command line; a file or an object in the API
  logFormat: 'text' | 'json';
}
export type OptionKind = keyof OptionKinds;

export interface OptionSpec {
  readonly flag: `--${string}`;
  readonly short?: string;
  readonly kind: OptionKind;
  /** The value's placeholder in the usage text; the kind's (N, FILE) when left out. */
  readonly arg?: string;
  readonly default?: number | string;
  /** How the default is documented (markdown) when there is no value or it reads better otherwise. */
  readonly defaultText?: string;
  /** One line, markdown: the usage text shows it without backticks, the flags table of docs/cli.md adds `more`. */
  readonly help: string;
  readonly more?: string;
  /** Where it applies: on the command line, in startMockServer's options. */
  readonly appliesTo: readonly ('cli' | 'api')[];
  /** An option that must be given with this one, or neither. */
  readonly pairsWith?: string;
}

const both = ['cli', 'api'] as const;

export const OPTIONS = {
  port: {
    flag: '--port',
    kind: 'port',
    default: 8080,
    appliesTo: both,
    help: 'main listener: every protocol and the admin API; `0` picks a free port',
    more: 'The `listening` line shows which.',
  },
  cerPort: {
    flag: '--cer-port',
    kind: 'port',
    appliesTo: both,
    help: 'extra listener for CER clients (their default port is 1273)',
    more: 'It serves the same protocol routes but not `/__admin`.',
  },
  host: { flag: '--host', kind: 'string', arg: 'ADDR', default: '127.0.0.1', appliesTo: both, help: 'bind address for every listener' },
  db: {
    flag: '--db',
    kind: 'path',
    default: './data/capture.sqlite',
    appliesTo: both,
    help: 'SQLite capture store; `:memory:` allowed',
    more: 'Parent folders are created; a `:memory:` store is lost on exit. At start the mock prints the store and how many requests it holds already. From `startMockServer` the default is `:memory:`.',
  },
  scenario: {
    flag: '--scenario',
    kind: 'scenario',
    arg: 'FILE',
    defaultText: 'built-in happy path',
    appliesTo: both,
    help: 'scenario file, YAML or JSON',
    more: 'See [Scenario files](scenarios.md). The programmatic API also takes a scenario object.',
  },
  watch: {
    flag: '--watch',
    kind: 'boolean',
    appliesTo: both,
    help: 'reload the `--scenario` file once it has stopped changing; a bad edit keeps the running scenario',
    more: 'The bad edit prints a warning naming the file; an empty or half-written file counts as a bad edit. Needs `--scenario` (otherwise exit 2).',
  },
  fileshare: {
    flag: '--fileshare',
    kind: 'path',
    arg: 'DIR',
    default: './data/fileshare',
    appliesTo: both,
    help: 'CER fileshare directory: each level-1 report and level-2 cabinet is copied there',
    more: 'See [The fileshare](cer.md#the-fileshare). Created when the first file is written. From `startMockServer` with a `:memory:` store the default is a temporary folder, removed by `close()`.',
  },
  tlsCert: {
    flag: '--tls-cert',
    kind: 'path',
    appliesTo: both,
    pairsWith: 'tlsKey',
    help: 'PEM certificate: serve HTTPS on every listener (with `--tls-key`)',
    more: 'Give both or neither.',
  },
  tlsKey: { flag: '--tls-key', kind: 'path', appliesTo: both, help: 'PEM private key (with `--tls-cert`)' },
  adminToken: { flag: '--admin-token', kind: 'string', arg: 'T', appliesTo: both, help: 'require `Authorization: Bearer T` on `/__admin/*`', more: 'Without it, 401.' },
  adminAllowedHosts: {
    flag: '--admin-allowed-hosts',
    kind: 'string',
    arg: 'NAMES',
    defaultText: 'loopback names, IP literals and `--host`',
    appliesTo: both,
    help: 'more `Host` names the token-less admin API answers to, comma-separated (`*`: any)',
    more: 'Other names get `403 HOST_NOT_ALLOWED` (DNS rebinding guard); see [Admin API](admin-api.md).',
  },
  relayPort: {
    flag: '--relay-port',
    kind: 'port',
    appliesTo: both,
    help: 'SQM relay listener (Windows Feedback Forwarder role; clients used 53533); needs `--upstream`',
    more: 'Every request on it is relayed; see [CEIP redirect and SQM relay](ceip-relay.md).',
  },
  upstream: {
    flag: '--upstream',
    kind: 'url',
    appliesTo: both,
    help: 'base URL the relay and the CEIP redirect forward to (path and query appended)',
    more: 'An `http://` or `https://` URL.',
  },
  upstreamCa: { flag: '--upstream-ca', kind: 'path', appliesTo: both, help: 'PEM CA to trust for an https upstream (a test CA)' },
  upstreamTimeoutMs: {
    flag: '--upstream-timeout-ms',
    kind: 'uint32',
    arg: 'MS',
    default: 30_000,
    appliesTo: both,
    help: "deadline for the upstream's whole answer, from the request sent to its last byte; then `504 upstream.timeout`",
    more: 'See [When the upstream answer breaks](ceip-relay.md#when-the-upstream-answer-breaks).',
  },
  upstreamIdleMs: {
    flag: '--upstream-idle-ms',
    kind: 'uint32',
    arg: 'MS',
    default: 10_000,
    appliesTo: both,
    help: 'longest silence on the upstream connection (before the answer or between its bytes); then `504 upstream.timeout`',
  },
  upstreamAnswerLimit: {
    flag: '--upstream-answer-limit',
    kind: 'uint32',
    arg: 'BYTES',
    default: 64 << 20,
    defaultText: '`67108864` (64 MiB)',
    appliesTo: both,
    help: 'largest upstream answer body passed back; a longer one gets `502 upstream.answer-too-large`',
  },
  relayDatapointId: {
    flag: '--relay-datapoint-id',
    kind: 'uint32',
    appliesTo: both,
    // Our choice (the documents name none): 0x4D4F434B is 'MOCK' in ASCII.
    default: 0x4d4f434b,
    defaultText: '`0x4D4F434B`, `MOCK` in ASCII',
    help: 'the DWORD data point id the relay adds to each SQM session (MS-SQMCS 3.3); decimal or `0x` hex',
  },
  relayDatapointValue: { flag: '--relay-datapoint-value', kind: 'uint32', default: 1, appliesTo: both, help: 'the value of that data point, a DWORD: decimal or `0x` hex' },
  maxInflightBodyMb: {
    flag: '--max-inflight-body-mb',
    kind: 'uint32',
    arg: 'MIB',
    default: 32,
    appliesTo: both,
    help: 'request-body bytes held in memory at once, all listeners together (MiB); `0`: no limit',
    more: 'Over it, readers are paused (clients slowed, not refused) but the oldest, and a new request waits; see [Memory](admin-api.md#memory).',
  },
  bodyWaitMs: {
    flag: '--body-wait-ms',
    kind: 'uint32',
    arg: 'MS',
    default: 120000,
    appliesTo: both,
    help: 'how long a new request waits for room in that budget before a `503` with `Retry-After`',
    more: 'The 503 is captured (without the unread body).',
  },
  shutdownTimeoutMs: {
    flag: '--shutdown-timeout-ms',
    kind: 'ms',
    default: 10000,
    appliesTo: both,
    help: 'on SIGINT/SIGTERM (or `close()`), how long in-flight requests get to finish before their connections are closed',
    more: 'Then the store is closed. `0` closes them at once.',
  },
  storeDecompressed: {
    flag: '--store-decompressed',
    kind: 'boolean',
    appliesTo: both,
    help: 'also store the decompressed section data of compressed SQM sessions',
    more: 'Off: the raw body is stored and the data is decompressed again when read (see [What is stored](admin-api.md#what-is-stored)).',
  },
  quiet: {
    flag: '--quiet',
    kind: 'boolean',
    appliesTo: both,
    help: 'no log lines (no start-up summary, request lines or `SIGINT: shutting down`); the `listening` lines, and the one line of an error that stops the mock, are still printed',
  },
  logFormat: {
    flag: '--log-format',
    kind: 'logFormat',
    default: 'text',
    appliesTo: both,
    help: 'log lines as `text` or as `json`, one JSON object per line (the `listening` lines too)',
    more: 'See [The log](#the-log).',
  },
  help: { flag: '--help', short: 'h', kind: 'boolean', defaultText: '', appliesTo: ['cli'], help: 'print this usage text and exit 0' },
  version: { flag: '--version', kind: 'boolean', defaultText: '', appliesTo: ['cli'], help: "print the package's version and exit 0" },
} as const satisfies Record<string, OptionSpec>;

type Table = typeof OPTIONS;
type Simplify<T> = { [K in keyof T]: T[K] };
/** Names of the options startMockServer takes. */
export type ApiOptionName = { [K in keyof Table]: 'api' extends Table[K]['appliesTo'][number] ? K : never }[keyof Table];
type ValueOf<K extends ApiOptionName> = OptionKinds[Table[K]['kind']];
/** Options that always have a value once resolved: a default, or off (false) for a boolean. */
type Resolved = { [K in ApiOptionName]: Table[K] extends { default: unknown } ? K : Table[K]['kind'] extends 'boolean' ? K : never }[ApiOptionName];
type WithDefault = { [K in ApiOptionName]: Table[K] extends { default: unknown } ? K : never }[ApiOptionName];

/** MockOptions as the table says (config.ts checks its documented interface against this). */
export type OptionsFromTable = { [K in ApiOptionName]?: ValueOf<K> };
/** Resolved options: every option with a default is set. */
export type ConfigFromTable = Simplify<{ [K in Resolved]: ValueOf<K> } & { [K in Exclude<ApiOptionName, Resolved>]?: ValueOf<K> }>;
export type OptionDefaults = { readonly [K in WithDefault]: Table[K]['default'] };

/** The table's entries in order, with their names. */
export const optionEntries = (): [keyof Table, OptionSpec][] => Object.entries(OPTIONS) as [keyof Table, OptionSpec][];

export const API_OPTION_NAMES = optionEntries()
  .filter(([, s]) => s.appliesTo.includes('api'))
  .map(([name]) => name as ApiOptionName);

/** The default values, by option name. */
export const OPTION_DEFAULTS = Object.fromEntries(optionEntries().flatMap(([name, s]) => (s.default === undefined ? [] : [[name, s.default]]))) as OptionDefaults;

const ARG_OF_KIND: Partial<Record<OptionKind, string>> = { port: 'N', uint32: 'N', ms: 'MS', string: 'S', path: 'FILE', url: 'URL', scenario: 'FILE', logFormat: 'text|json' };

/** The value's placeholder (`N`, `FILE`), or '' for a bare flag. */
export const argOf = (s: OptionSpec): string => s.arg ?? ARG_OF_KIND[s.kind] ?? '';

/** The default as documented (markdown); 'off' when there is none. */
export function defaultDoc(s: OptionSpec): string {
  if (s.defaultText !== undefined) return s.defaultText;
  return s.default === undefined ? 'off' : `\`${s.default}\``;
}

export const FLAGS_START = '<!-- flags:start -->';
export const FLAGS_END = '<!-- flags:end -->';

/** The flags table of docs/cli.md (markdown), one row per option of the table. */
export function flagsMarkdown(): string {
  const rows = optionEntries().map(([, s]) => {
    const flag = [`\`${`${s.flag} ${argOf(s)}`.trim()}\``, ...(s.short ? [`\`-${s.short}\``] : [])].join(', ');
    const meaning = `${s.help[0].toUpperCase()}${s.help.slice(1)}.${s.more ? ` ${s.more}` : ''}`;
    return `| ${flag} | ${defaultDoc(s)} | ${meaning} |`;
  });
  return ['| flag | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

/** `doc` (docs/cli.md) with the block between the flags markers replaced by flagsMarkdown(). */
export function withFlagsTable(doc: string): string {
  const start = doc.indexOf(FLAGS_START);
  const end = doc.indexOf(FLAGS_END);
  if (start < 0 || end < start) throw new Error(`docs/cli.md: expected ${FLAGS_START} … ${FLAGS_END}`);
  return `${doc.slice(0, start + FLAGS_START.length)}\n${flagsMarkdown()}\n${doc.slice(end)}`;
}
