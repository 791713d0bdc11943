// `sqm-cer-mock manifest encode|decode` through runManifestCli on a temp directory: exit codes 0/1/2,
// YAML on stdout, findings and one-line errors on stderr, never a stack trace.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { runManifestCli } from './manifest-cli';
import { FIXTURES, FIXTURE_NAMES, fixtureData } from '../test/helpers/asqm-manifest-fixtures';

let dir: string;
let stdout: string;
let stderr: string;
let binary: Buffer[];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asqm-cli-'));
  stdout = '';
  stderr = '';
  binary = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    if (typeof chunk === 'string') stdout += chunk;
    else binary.push(Buffer.from(chunk));
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

const fixture = (name: string) => path.join(FIXTURES, name);
const tmp = (name: string) => path.join(dir, name);

describe.each(FIXTURE_NAMES)('%s', (name) => {
  it('encode then decode gives the same manifest back, exit 0 both times', async () => {
    expect(await runManifestCli(['encode', fixture(name), '-o', tmp('out.bin')])).toBe(0);
    expect(stdout).toMatch(/^wrote .*out\.bin: \d+ bytes, version \d+, \d+ sections, checksum 0x[0-9A-F]{8}\n$/);
    expect(stderr).toBe('');
    stdout = '';
    expect(await runManifestCli(['decode', tmp('out.bin')])).toBe(0);
    expect(YAML.parse(stdout)).toEqual(fixtureData(name));
    expect(stderr).toBe('');
  });
});

it('encode -o - writes the package to stdout', async () => {
  expect(await runManifestCli(['encode', fixture('two-rules.yaml'), '--output', '-'])).toBe(0);
  const bytes = Buffer.concat(binary);
  expect(bytes.readUInt32LE(0)).toBe(0x414d5153);
  expect(bytes.readUInt32LE(4)).toBe(bytes.length);
});

it('encode takes a scenario file and --partner; warnings of the result go to stderr', async () => {
  fs.writeFileSync(tmp('scenario.yaml'), 'partners:\n  windows:\n    manifest: { version: 9 }\n  office:\n    manifest: { version: 3 }\n');
  expect(await runManifestCli(['encode', tmp('scenario.yaml'), '--partner', 'office', '-o', tmp('o.bin')])).toBe(0);
  expect(stderr).toMatch(/^warning asqm\.no-sections \(MS-SQMCS 2\.2\.6\.4\) at 168: /);
  stdout = '';
  expect(await runManifestCli(['decode', tmp('o.bin')])).toBe(0);
  expect(YAML.parse(stdout)).toEqual({ version: 3, partner: 'office' });
});

it('decode of damaged bytes: the YAML, findings on stderr, exit 1', async () => {
  await runManifestCli(['encode', fixture('two-rules.yaml'), '-o', tmp('out.bin')]);
  const b = fs.readFileSync(tmp('out.bin'));
  b.writeUInt32LE(0, 20); // Version 0
  fs.writeFileSync(tmp('bad.bin'), b);
  stdout = '';
  expect(await runManifestCli(['decode', tmp('bad.bin')])).toBe(1);
  expect(stderr).toContain('error asqm.version (MS-SQMCS 2.2.6.3) at 20: ');
  expect(stderr).toContain('error asqm.download-checksum (MS-SQMCS 2.2.6.1) at 8: ');
  expect(YAML.parse(stdout)).toMatchObject({ version: 0, partner: 'windows' });
});

it('decode of something that is no package: exit 1, nothing on stdout', async () => {
  fs.writeFileSync(tmp('tiny.bin'), Buffer.from([1, 2, 3]));
  expect(await runManifestCli(['decode', tmp('tiny.bin')])).toBe(1);
  expect(stdout).toBe('');
  expect(stderr).toMatch(/^error asqm\.truncated \(MS-SQMCS 2\.2\.6\.1\) at 0: /);
});

it('an invalid YAML manifest: exit 2, one line naming the file and the path', async () => {
  fs.writeFileSync(
    tmp('bad.yaml'),
    'version: 7\npartner: w\nrules:\n  - { id: 1, type: report, action: werMiniDump, clauses: [{ group: and, data: 1, op: dwordEqual, value: 1 }] }\n',
  );
  expect(await runManifestCli(['encode', tmp('bad.yaml'), '-o', tmp('x.bin')])).toBe(2);
  expect(stderr).toMatch(/^sqm-cer-mock manifest: .*bad\.yaml: rules\[0\]\.clauses\[0\]\.op \(line 4\): expected one of "dwordEquals", .*got "dwordEqual"\n$/);
  expect(fs.existsSync(tmp('x.bin'))).toBe(false);
});

it.each<[string, string[], RegExp]>([
  ['no command', [], /expected "encode" or "decode", got nothing/],
  ['an unknown command', ['print', 'x'], /got "print"/],
  ['no file', ['decode'], /decode: expected a file/],
  ['encode without -o', ['encode', 'm.yaml'], /expected -o OUT\.bin/],
  ['an unknown flag', ['decode', 'x.bin', '--verbose'], /unknown flag --verbose/],
  ['a mistyped flag', ['decode', 'x.bin', '--outptu', 'y'], /unknown flag --outptu \(did you mean "--output"\?\)/],
  ['an extra argument', ['decode', 'a.bin', 'b.bin'], /unexpected argument "b\.bin"/],
  ['decode with -o', ['decode', 'a.bin', '-o', 'x'], /takes no -o/],
  ['a missing file', ['decode', '/nonexistent/Sqm7.bin'], /cannot read \/nonexistent\/Sqm7\.bin: ENOENT/],
  ['an unwritable output', ['encode', path.join(FIXTURES, 'two-rules.yaml'), '-o', '/nonexistent/dir/out.bin'], /cannot write .*: ENOENT/],
])('%s: exit 2, one line, no stack', async (_name, argv, expected) => {
  expect(await runManifestCli(argv)).toBe(2);
  expect(stderr).toMatch(/^sqm-cer-mock manifest: /);
  expect(stderr).toMatch(expected);
  expect(stderr.trimEnd()).not.toContain('\n');
  expect(stderr).not.toMatch(/\n\s+at /);
});

it('--help prints the usage, exit 0', async () => {
  expect(await runManifestCli(['--help'])).toBe(0);
  expect(stdout).toMatch(/^usage: sqm-cer-mock manifest encode FILE\.yaml -o OUT\.bin/);
});
