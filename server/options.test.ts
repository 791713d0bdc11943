// The option table (options.ts) against everything spelled from it or beside it: INTERFACE.md
// section 1, MockOptions in config.ts, the flags table of docs/cli.md, the usage text and resolveConfig.

import fs from 'node:fs';
import path from 'node:path';
import { USAGE, parseCliArgs } from './cli-args';
import { resolveConfig, type MockOptions } from './config';
import { API_OPTION_NAMES, FLAGS_END, FLAGS_START, OPTIONS, argOf, defaultDoc, flagsMarkdown, optionEntries, withFlagsTable } from './options';

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const entries = optionEntries();

describe('the option table', () => {
  it.each(entries.map(([name, s]) => [name, s]))('%s: flag, help and pairing are well-formed', (name, s) => {
    expect(s.flag).toBe(`--${kebab(name)}`);
    expect(s.help).toMatch(/^[^\n]+[^.\n]$/);
    expect(s.more ?? '').not.toContain('\n');
    if (s.pairsWith !== undefined) expect(Object.keys(OPTIONS)).toContain(s.pairsWith);
    expect(s.kind === 'boolean').toBe(argOf(s) === '');
  });

  // INTERFACE.md section 1: these flags and defaults may gain company, never change.
  it.each<[string, string | number | undefined]>([
    ['--port', 8080],
    ['--cer-port', undefined],
    ['--relay-port', undefined],
    ['--upstream', undefined],
    ['--host', '127.0.0.1'],
    ['--db', './data/capture.sqlite'],
    ['--scenario', undefined],
    ['--fileshare', './data/fileshare'],
    ['--tls-cert', undefined],
    ['--tls-key', undefined],
    ['--admin-token', undefined],
  ])('keeps INTERFACE.md %s (default %s)', (flag, dflt) => {
    const s = entries.map(([, e]) => e).find((e) => e.flag === flag);
    expect(s?.default).toBe(dflt);
  });

  it.each(entries.filter(([, s]) => s.default !== undefined).map(([name, s]) => [name, s]))('%s: its default is a value its flag accepts', (name, s) => {
    const r = parseCliArgs([s.flag, String(s.default)]);
    expect(r).toMatchObject({ help: false, options: { [name]: s.default } });
  });

  it('resolveConfig: the table default, false for a boolean, else undefined', () => {
    const c = resolveConfig({}) as Record<string, unknown>;
    expect(Object.keys(c)).toEqual(API_OPTION_NAMES);
    for (const name of API_OPTION_NAMES) {
      const s = OPTIONS[name];
      expect(c[name]).toBe('default' in s ? s.default : s.kind === 'boolean' ? false : undefined);
    }
  });
});

describe('MockOptions (config.ts) matches the table', () => {
  const source = fs.readFileSync(path.join(__dirname, 'config.ts'), 'utf8');
  const body = /export interface MockOptions \{([\s\S]*?)\n\}/.exec(source)?.[1] ?? '';
  const members = [...body.matchAll(/(\/\*\*[^]*?\*\/)\s*\n\s*(\w+)\?:/g)].map((m) => ({ doc: m[1], name: m[2] }));

  it('one documented key per API option, in table order', () => {
    expect(members.map((m) => m.name)).toEqual(API_OPTION_NAMES);
  });

  it.each(members.filter((m) => 'default' in OPTIONS[m.name as keyof typeof OPTIONS]).map((m) => [m.name, m.doc]))('%s: its JSDoc gives the table default', (name, doc) => {
    const s = OPTIONS[name as keyof typeof OPTIONS];
    expect(doc).toContain(`Default ${defaultDoc(s).replace(/`/g, '')}`);
  });

  it('a value of every kind is accepted (type level: config.ts MockOptionsMatchTable)', () => {
    const all: Required<MockOptions> = {
      port: 1,
      cerPort: 2,
      host: 'h',
      db: 'd',
      scenario: {},
      watch: true,
      fileshare: 'f',
      tlsCert: 'c',
      tlsKey: 'k',
      adminToken: 't',
      adminAllowedHosts: 'a.example',
      relayPort: 3,
      upstream: 'http://u',
      upstreamCa: 'ca',
      upstreamTimeoutMs: 6,
      upstreamIdleMs: 7,
      upstreamAnswerLimit: 8,
      relayDatapointId: 4,
      relayDatapointValue: 5,
      maxInflightBodyMb: 6,
      bodyWaitMs: 7,
      shutdownTimeoutMs: 6,
      storeDecompressed: true,
      quiet: true,
      logFormat: 'json',
    };
    expect(Object.keys(all)).toEqual(API_OPTION_NAMES);
  });
});

describe('the flags table of docs/cli.md', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'docs', 'cli.md'), 'utf8');

  it('is the generated one (npm run docs:flags rewrites it)', () => {
    expect(withFlagsTable(readme)).toBe(readme);
  });

  it('has exactly one row per option, with its flag, default and meaning', () => {
    const block = readme.slice(readme.indexOf(FLAGS_START), readme.indexOf(FLAGS_END));
    const rows = block.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows).toHaveLength(entries.length);
    entries.forEach(([, s], i) => {
      const [flag, dflt, meaning] = rows[i].slice(2, -2).split(' | ');
      expect(flag.split(', ')[0]).toBe(`\`${`${s.flag} ${argOf(s)}`.trim()}\``);
      expect(dflt.trim()).toBe(defaultDoc(s));
      expect(meaning.toLowerCase().startsWith(s.help.toLowerCase())).toBe(true);
    });
  });

  it('flagsMarkdown is a markdown table with a header', () => {
    expect(flagsMarkdown().split('\n').slice(0, 2)).toEqual(['| flag | default | meaning |', '|---|---|---|']);
  });
});

describe('usage text', () => {
  const lines = USAGE.split('\n');

  it.each(entries.map(([, s]) => [s.flag, s]))('%s has its line, with its default', (flag, s) => {
    const line = lines.find((l) => new RegExp(`^  (-\\w, )?${flag}\\b`).test(l));
    expect(line).toContain(s.help.replace(/`/g, ''));
    if (s.default !== undefined) expect(line).toContain('(default ');
  });

  it('keeps the manifest and report subcommand lines', () => {
    expect(lines.slice(-3)).toEqual([
      expect.stringMatching(/^ {2}sqm-cer-mock manifest encode FILE\.yaml -o OUT\.bin +A-SQM manifest YAML → binary package$/),
      expect.stringMatching(/^ {2}sqm-cer-mock manifest decode FILE\.bin +binary package → YAML \(findings on stderr\)$/),
      expect.stringMatching(/^ {2}sqm-cer-mock report --url URL \[--junit FILE\] +conformance summary of a running mock/),
    ]);
  });
});
