// `sqm-cer-mock report` against a running mock (INTERFACE.md section 5): its summary, its JUnit
// file, and its exit codes for each --fail-on level.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { buildSqmSession } from '../../server/testing';
import { requireBuild, runCli } from '../helpers/cli';
import { useMock } from '../helpers/lifecycle';

const mock = useMock();
beforeAll(requireBuild);
const upload = (body: Buffer) => fetch(`${mock.url}/sqm/windows/sqmserver.dll`, { method: 'POST', body });
const report = (...args: string[]) => runCli(['report', '--url', mock.url, ...args]);

it('a clean run exits 0 and says so', async () => {
  await upload(buildSqmSession());
  const r = await report();
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^conformance: 1 clients, 4 checked, 0 violations, 0 unmet expectations, 0 request findings$/m);
});

it('a throttle ignored: exit 1 by default (warning), 0 with --fail-on error or never', async () => {
  await mock.client.setScenario({ rules: [{ times: 1, respond: { sqm: { throttleInterval: 7 } } }] });
  await upload(buildSqmSession({ header: { clientUploadTime: 1n } }));
  await upload(buildSqmSession({ header: { clientUploadTime: 2n } }));
  const r = await report();
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/sqm-v1 windows\/\{[^}]+\}: warning sqm-v1\.throttle-ignored \(MS-SQMCS 3\.1\.5\.2\.2\)/);
  expect((await report('--fail-on', 'error')).code).toBe(0);
  expect((await report('--fail-on', 'never')).code).toBe(0);
});

it('an unmet expectation: exit 0 with warning, 1 with --fail-on expectation; --junit writes a parsable file', async () => {
  await mock.client.setScenario({ partners: { windows: { manifest: { version: 7, expires: '2030-01-01T00:00:00Z', rules: [], propertySets: [] } } } });
  expect((await upload(buildSqmSession({ header: { internalFlags: 0x8, manifestVersion: 3 } }))).status).toBe(201);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));
  const file = path.join(dir, 'conformance.xml');
  expect((await report('--junit', file)).code).toBe(0);
  expect((await report('--fail-on', 'expectation')).code).toBe(1);
  const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['testsuite', 'testcase', 'failure'].includes(name) }).parse(fs.readFileSync(file, 'utf8'));
  const [suite] = xml.testsuites.testsuite;
  expect(suite['@_name']).toBe('sqm-v1');
  expect(suite.testcase).toHaveLength(Number(suite['@_tests']));
  expect(suite.testcase.flatMap((t: { failure?: unknown[] }) => t.failure ?? [])).toHaveLength(Number(suite['@_failures']));
  expect(suite['@_failures']).toBe('1');
  fs.rmSync(dir, { recursive: true, force: true });
});

it.each([
  ['no --url', ['report'], /--url/],
  ['a bad --fail-on', ['report', '--url', 'http://127.0.0.1:1', '--fail-on', 'sometimes'], /--fail-on/],
  ['an unknown flag', ['report', '--nope'], /report/],
  ['a mock that is not there', ['report', '--url', 'http://127.0.0.1:1'], /could not|running mock/],
])('%s: exit 2, one line', async (_n, args, pattern) => {
  const r = await runCli(args);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
});
