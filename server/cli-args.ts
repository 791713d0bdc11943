// Parses command-line flags (INTERFACE.md section 1) into MockOptions with node:util parseArgs; the
// flags, their values and the usage text come from the option table (options.ts). Every problem is
// a BAD_FLAG MockError naming the flag and what was expected.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { MockOptions } from './config';
import { ERR, quote } from './errors';
import { API_OPTION_NAMES, OPTIONS, argOf, defaultDoc, optionEntries, type OptionKind, type OptionSpec } from './options';

const MANIFEST_LINES = `  sqm-cer-mock manifest encode FILE.yaml -o OUT.bin   A-SQM manifest YAML → binary package
  sqm-cer-mock manifest decode FILE.bin               binary package → YAML (findings on stderr)
  sqm-cer-mock report --url URL [--junit FILE]        conformance summary of a running mock (flags: report --help)
  sqm-cer-mock send v1|v2|cer|ceip --url URL          reference client: runs a protocol's client flow against any server (flags: send --help)`;

const plain = (markdown: string): string => markdown.replace(/`/g, '');

function usage(): string {
  const entries = optionEntries().map(([, s]) => s);
  const head = (s: OptionSpec) => `${s.short ? `-${s.short}, ` : ''}${s.flag} ${argOf(s)}`.trim();
  const width = Math.max(...entries.map((s) => head(s).length)) + 2;
  const lines = entries.map((s) => {
    const dflt = defaultDoc(s);
    const note = dflt === '' || dflt === 'off' ? '' : ` (default ${plain(dflt)})`;
    return `  ${head(s).padEnd(width)}${plain(s.help)}${note}`;
  });
  return ['usage: sqm-cer-mock [flags]', ...lines, '', MANIFEST_LINES].join('\n');
}

/** The --help text: one line per option of the table, then the manifest subcommand. */
export const USAGE = usage();

const SPEC: NonNullable<ParseArgsConfig['options']> = Object.fromEntries(
  optionEntries().map(([, s]) => [s.flag.slice(2), { type: s.kind === 'boolean' ? 'boolean' : 'string', ...(s.short ? { short: s.short } : {}) }]),
);

type Raw = string | boolean | undefined;

/** A flag's value as the kind says; undefined when the flag was not given. */
const PARSE: Record<OptionKind, (flag: string, raw: string | boolean) => unknown> = {
  port: (flag, raw) => {
    const s = String(raw);
    if (!/^\d+$/.test(s) || Number(s) > 65535) throw ERR.BAD_FLAG({ subject: flag, expected: 'a port number 0..65535', got: quote(s) });
    return Number(s);
  },
  uint32: (flag, raw) => {
    const s = String(raw);
    const n = /^0x[0-9a-f]+$/i.test(s) ? parseInt(s, 16) : /^\d+$/.test(s) ? Number(s) : NaN;
    if (!Number.isInteger(n) || n > 0xffffffff) throw ERR.BAD_FLAG({ subject: flag, expected: 'a DWORD (0..4294967295, decimal or 0x hex)', got: quote(s) });
    return n;
  },
  ms: (flag, raw) => {
    const s = String(raw);
    if (!/^\d+$/.test(s) || Number(s) > 0x7fffffff) throw ERR.BAD_FLAG({ subject: flag, expected: 'milliseconds, an integer 0..2147483647', got: quote(s) });
    return Number(s);
  },
  logFormat: (flag, raw) => {
    if (raw !== 'text' && raw !== 'json') throw ERR.BAD_FLAG({ subject: flag, expected: 'text or json', got: quote(String(raw)) });
    return raw;
  },
  string: (_flag, raw) => raw,
  path: (_flag, raw) => raw,
  url: (_flag, raw) => raw,
  scenario: (_flag, raw) => raw,
  boolean: (_flag, raw) => raw,
};

function parseFlags(argv: string[]): Record<string, Raw> {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: false, options: SPEC }).values as Record<string, Raw>;
  } catch (e) {
    throw ERR.BAD_FLAG({ said: (e as Error).message.split('\n')[0], hint: 'see --help' });
  }
}

export type CliParse = { help: true } | { help: false; version: true } | { help: false; version?: undefined; options: MockOptions };

export function parseCliArgs(argv: string[]): CliParse {
  const v = parseFlags(argv);
  if (v.help) return { help: true };
  if (v.version) return { help: false, version: true };
  // `--host=` or `--db ""` would silently mean "all interfaces" or "a temporary database".
  for (const [flag, value] of Object.entries(v)) {
    if (value === '') throw ERR.BAD_FLAG({ subject: `--${flag}`, expected: 'a value', got: '""' });
  }
  for (const [, s] of optionEntries()) {
    const other: OptionSpec | undefined = s.pairsWith === undefined ? undefined : OPTIONS[s.pairsWith as keyof typeof OPTIONS];
    if (other && (v[s.flag.slice(2)] === undefined) !== (v[other.flag.slice(2)] === undefined)) {
      throw ERR.BAD_FLAG({ together: [s.flag, other.flag] });
    }
  }
  const options: Record<string, unknown> = {};
  for (const name of API_OPTION_NAMES) {
    const { flag, kind } = OPTIONS[name];
    const raw = v[flag.slice(2)];
    options[name] = raw === undefined ? undefined : PARSE[kind](flag, raw);
  }
  return { help: false, options: options };
}
