// `sqm-cer-mock report` against a running mock (INTERFACE.md section 5): its summary, its JUnit
// file, and its exit codes for each --fail-on level.

import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { buildSqmSession } from '../../server/testing';
import { requireBuild, runCli } from '../helpers/cli';
import { useMock, withMock } from '../helpers/lifecycle';

const mock = useMock();
beforeAll(requireBuild);
const upload = (body: Buffer) => fetch(`${mock.url}/sqm/windows/sqmserver.dll`, { method: 'POST', body });
const report = (...args: string[]) => runCli(['report', '--url', mock.url, ...args]);
/** A local port nothing listens on (one that was free a moment ago). */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

it('a clean run exits 0 and says so', async () => {
  await upload(buildSqmSession());
  const r = await report();
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^conformance: 1 clients, [1-9]\d* checked, 0 violations, 0 unmet expectations, 0 request findings$/m);
});

it('a throttle ignored: exit 1 by default (warning), 0 with --fail-on error or never', async () => {
  await mock.client.setScenario({ rules: [{ times: 1, respond: { sqm: { throttleInterval: 7 } } }] });
  await upload(buildSqmSession({ header: { clientUploadTime: 1n } }));
  await upload(buildSqmSession({ header: { clientUploadTime: 2n } }));
  const r = await report();
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/^sqm-v1 windows\/\{[^}]+\}: warning sqm-v1\.throttle-ignored \(MS-SQMCS 3\.1\.5\.2\.2\): /m);
  expect(r.stdout).toMatch(/^conformance: 1 clients, \d+ checked, 1 violations, 0 unmet expectations, 0 request findings$/m);
  expect((await report('--fail-on', 'error')).code).toBe(0);
  expect((await report('--fail-on', 'never')).code).toBe(0);
});

it('an unmet expectation: exit 0 with warning, 1 with --fail-on expectation; --junit writes a parsable file', async () => {
  await mock.client.setScenario({ partners: { windows: { manifest: { version: 7, expires: '2030-01-01T00:00:00Z', rules: [], propertySets: [] } } } });
  expect((await upload(buildSqmSession({ header: { internalFlags: 0x8, manifestVersion: 3 } }))).status).toBe(201);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));
  const file = path.join(dir, 'conformance.xml');
  const r = await report('--junit', file);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^sqm-v1 windows\/\{[^}]+\}: expectation sqm-v1\.manifest-not-fetched /m);
  expect(r.stdout).toMatch(/, 0 violations, 1 unmet expectations, /);
  expect((await report('--fail-on', 'expectation')).code).toBe(1);
  const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['testsuite', 'testcase', 'failure'].includes(name) }).parse(fs.readFileSync(file, 'utf8'));
  const [suite] = xml.testsuites.testsuite;
  expect(suite['@_name']).toBe('sqm-v1');
  expect(suite.testcase).toHaveLength(Number(suite['@_tests']));
  expect(suite.testcase.flatMap((t: { failure?: unknown[] }) => t.failure ?? [])).toHaveLength(Number(suite['@_failures']));
  expect(suite['@_failures']).toBe('1');
  const [failure] = suite.testcase.flatMap((t: { failure?: unknown[] }) => t.failure ?? []);
  expect(failure).toMatchObject({ '@_type': 'expectation', '@_message': expect.stringContaining('sqm-v1.manifest-not-fetched') });
  fs.rmSync(dir, { recursive: true, force: true });
});

it('--token: sent as a bearer token; without it a guarded mock gives exit 2, one line', async () => {
  await withMock({ adminToken: 's3cret' }, async (m) => {
    expect((await runCli(['report', '--url', m.url, '--token', 's3cret'])).code).toBe(0);
    const r = await runCli(['report', '--url', m.url]);
    expect([r.code, r.stderr]).toEqual([2, "sqm-cer-mock report: --token: expected the mock's --admin-token, got none (401)\n"]);
  });
});

it.each<[string, (port: number) => string[], RegExp]>([
  ['no --url', () => ['report'], /--url/],
  ['a bad --fail-on', (port) => ['report', '--url', `http://127.0.0.1:${port}`, '--fail-on', 'sometimes'], /--fail-on: expected error, warning, expectation, never/],
  ['an unknown flag', () => ['report', '--nope'], /unknown flag --nope/],
  ['a mock that is not there', (port) => ['report', '--url', `http://127.0.0.1:${port}`], /--url: could not reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/],
])('%s: exit 2, one line', async (_n, args, pattern) => {
  const r = await runCli(args(await closedPort()));
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
});
