// The table of coded errors (errors.ts): each template's exact text, and, by reading the sources,
// that every code is used and every MockError raised in server/ carries a code of the table.

import fs from 'node:fs';
import path from 'node:path';
import { ERR, ERRORS, MockError, errorMessage, isMockError, quote, type ErrorCode, type ErrorParams } from './errors';

const sources = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && p !== path.join(__dirname, 'errors.ts') ? [p] : [];
  });
const files = sources(__dirname).map((f) => ({ file: path.relative(__dirname, f), text: fs.readFileSync(f, 'utf8') }));
const codes = Object.keys(ERRORS) as ErrorCode[];

type Case = { [C in ErrorCode]: [C, ErrorParams<C>, string] }[ErrorCode];

describe('message templates', () => {
  const cases: Case[] = [
    ['BAD_FLAG', { subject: '--port', expected: 'a port number 0..65535', got: quote('x') }, '--port: expected a port number 0..65535, got "x"'],
    ['BAD_FLAG', { said: "Unknown option '--x'", hint: 'see --help' }, "Unknown option '--x' (see --help)"],
    ['BAD_FLAG', { subject: 'decode', said: 'takes no -o or --partner', hint: 'the YAML goes to stdout' }, 'decode: takes no -o or --partner (the YAML goes to stdout)'],
    ['BAD_FLAG', { expected: '"encode" or "decode"', got: 'nothing', hint: 'see --help' }, 'expected "encode" or "decode", got nothing (see --help)'],
    ['BAD_FLAG', { together: ['--tls-cert', '--tls-key'] }, '--tls-cert and --tls-key go together: give both or neither'],
    ['BAD_OPTION', { flag: '--relay-port', needs: '--upstream', why: 'the relay forwards to it' }, '--relay-port needs --upstream: the relay forwards to it'],
    ['BAD_QUERY', { subject: 'limit', expected: 'an integer ≥ 1', got: quote('0') }, 'limit: expected an integer ≥ 1, got "0"'],
    ['BAD_FILE', { action: 'read', file: 'a.bin', reason: 'ENOENT' }, 'cannot read a.bin: ENOENT'],
    ['TLS_FILE', { flag: '--tls-cert', file: 'c.pem', reason: 'ENOENT' }, '--tls-cert c.pem: ENOENT'],
    ['BAD_FOLDER', { flag: '--fileshare', dir: 'f/x', reason: 'f is a file, not a folder' }, '--fileshare f/x: f is a file, not a folder'],
    ['LISTEN', { role: 'main', host: '127.0.0.1', port: 80, reason: 'port already in use' }, 'main listener on 127.0.0.1:80: port already in use'],
    ['STORE_MIGRATIONS', { near: '/x' }, 'db/migrations not found near /x'],
    ['STORE_OPEN', { file: 'd.sqlite', reason: 'locked' }, '--db d.sqlite: locked'],
    ['SCENARIO_INVALID', { source: 's.yaml', problems: ['a: x', 'b: y'] }, 's.yaml: a: x; b: y'],
    ['MANIFEST_INVALID', { source: 'm.yaml', problems: ['version: x'] }, 'm.yaml: version: x'],
  ];

  it.each(cases)('%s %j', (code, params, expected) => {
    expect(errorMessage(code, params as never)).toBe(expected);
    const e = (ERR[code] as (p: unknown) => MockError)(params);
    expect(isMockError(e) && e instanceof Error).toBe(true);
    expect([e.code, e.message]).toEqual([code, expected]);
  });

  it.each(codes.map((c) => [c]))('%s has a case above and a one-line description', (code) => {
    expect(cases.some(([c]) => c === code)).toBe(true);
    expect(ERRORS[code].description).toMatch(/^[a-z][^\n]+[^.]$/);
  });
});

describe('the sources use the table', () => {
  it('no MockError is made outside errors.ts but through the table (ERR.CODE or a subclass)', () => {
    const inline = files.filter((f) => /new MockError\(/.test(f.text)).map((f) => f.file);
    expect(inline).toEqual([]);
  });

  it('every code raised in server/ is a code of the table', () => {
    const used = files.flatMap((f) => {
      const viaErr = [...f.text.matchAll(/\bERR\.([A-Z_]+)\b/g)].map((m) => m[1]);
      const viaMessage = [...f.text.matchAll(/errorMessage\(\s*'([A-Z_]+)'/g)].map((m) => m[1]);
      // A subclass (ScenarioError, ManifestError) passes its code to MockError's constructor.
      const viaSuper = /extends MockError\b/.test(f.text) ? [...f.text.matchAll(/super\(\s*'([A-Z_]+)'/g)].map((m) => m[1]) : [];
      return [...viaErr, ...viaMessage, ...viaSuper].map((code) => ({ code, file: f.file }));
    });
    expect(used.filter((u) => !(u.code in ERRORS))).toEqual([]);
    // …and every code of the table is used somewhere.
    expect(codes.filter((c) => !used.some((u) => u.code === c))).toEqual([]);
  });

  it('a subclass of MockError passes a literal code of the table', () => {
    const subclasses = files.filter((f) => /extends MockError\b/.test(f.text));
    expect(subclasses.length).toBeGreaterThan(0);
    for (const f of subclasses) expect(f.text).toMatch(/super\(\s*'[A-Z_]+'/);
  });

  it('MockError keeps its shape', () => {
    const e = new MockError('BAD_FLAG', 'm');
    expect([e.name, e.code, e.message]).toEqual(['MockError', 'BAD_FLAG', 'm']);
  });
});
