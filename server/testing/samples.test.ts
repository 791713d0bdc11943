// The sample files of the package (samples/, INTERFACE.md section 6): each decodes with the mock's own
// decoders and is the fixture it was copied from; the package ships them and the docs name only these.

import fs from 'node:fs';
import path from 'node:path';
import { readCabinetDirectory } from '../cab';
import { decodeSqmSession } from '../codecs/sqm-session/codec';
import { decodeWerReport } from '../protocols/cer/werreport';
import { encodeWerText } from './wer-report';

const root = path.resolve(__dirname, '../..');
const samples = path.join(root, 'samples');
const read = (name: string) => fs.readFileSync(path.join(samples, name));
const serious = (findings: { level: string }[]) => findings.filter((f) => f.level === 'error' || f.level === 'warning');

it.each([
  ['win7-sp1-capture.bin', 'test/fixtures/sqm-v1/win7-sp1-capture.bin'],
  ['two-files-mszip.cab', 'test/fixtures/cab/two-files-mszip.cab'],
  ['hello-mszip.cab', 'test/fixtures/cab/hello-mszip.cab'],
  ['two-rules.yaml', 'test/fixtures/asqm-manifest/two-rules.yaml'],
])('samples/%s is %s byte for byte', (name, fixture) => {
  expect(read(name).equals(fs.readFileSync(path.join(root, fixture)))).toBe(true);
});

it('the Windows 7 capture decodes with no error or warning finding', () => {
  const r = decodeSqmSession(read('win7-sp1-capture.bin'), { maxRawBytes: 1 << 20 });
  expect(serious(r.findings)).toEqual([]);
  expect(r.value!.header.clientUniqueIdentifier).toMatch(/^\{[0-9A-F-]{36}\}$/);
});

it('report.utf16 is report.xml in UTF-16LE after FF FE, and decodes with no error or warning finding', () => {
  const xml = read('report.xml').toString('utf8');
  expect(read('report.utf16').equals(encodeWerText(xml))).toBe(true);
  const r = decodeWerReport(read('report.utf16'));
  expect(serious(r.findings)).toEqual([]);
  expect(r.value).toMatchObject({ encoding: 'utf-16le', bom: true, eventInfo: { eventtype: 'APPCRASH' }, files: [{ filename: 'Version.txt', filetype: '5' }] });
});

it.each([
  [
    'two-files-mszip.cab',
    [
      ['first.txt', 40000],
      ['second.txt', 55],
    ],
  ],
  ['hello-mszip.cab', [['hello.txt', 77]]],
] as const)('%s is a cabinet of %j', (name, files) => {
  const dir = readCabinetDirectory(read(name));
  expect(dir.findings).toEqual([]);
  expect(dir.value!.files.map((f) => [f.name, f.size])).toEqual(files);
});

it('package.json ships samples/', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { files: string[] };
  expect(pkg.files).toContain('samples/');
});

/** The Markdown files of the project a user reads: README.md and docs/**. */
function docs(dir = path.join(root, 'docs')): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? docs(path.join(dir, e.name)) : e.name.endsWith('.md') ? [path.join(dir, e.name)] : []));
}

it('every samples/… path in the docs exists, and samples/README.md describes every sample', () => {
  const named = new Set<string>();
  for (const file of [path.join(root, 'README.md'), ...docs()]) for (const m of fs.readFileSync(file, 'utf8').matchAll(/\bsamples\/([\w.-]+\w)/g)) named.add(m[1]);
  const shipped = fs.readdirSync(samples).filter((n) => n !== 'README.md');
  expect([...named].filter((n) => !shipped.includes(n) && n !== 'README.md')).toEqual([]);
  const index = read('README.md').toString('utf8');
  expect(shipped.filter((n) => !index.includes(`\`${n}\``))).toEqual([]);
});

it('the docs send no test fixture: curl and CLI examples use samples/', () => {
  const offenders = [path.join(root, 'README.md'), ...docs()].flatMap((file) =>
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => /(@|-T |manifest encode )test\/fixtures\//.test(line))
      .map((line) => `${path.relative(root, file)}: ${line.trim()}`),
  );
  expect(offenders).toEqual([]);
});
