// `sqm-cer-mock report` without a mock: its flags, the --fail-on table on hand-made reports, and
// runReportCli against a small HTTP server that answers like the admin API (token, JUnit, failures).

import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { ConformanceEntry, ConformanceReport } from './admin/conformance';
import { isMockError } from './errors';
import { failsAt, parseReportArgs, runReportCli, summaryText, type FailOn } from './report-cli';

const entry = (rule: string, level: string, kind = 'conversation'): ConformanceEntry => ({
  requestId: 2,
  protocol: 'sqm-v1',
  level,
  rule,
  specRef: 'MS-SQMCS 3.1.5.2.2',
  message: 'too early',
  kind,
  relatedRequestId: 1,
  clientKey: 'windows/{A}',
});
function reportWith(o: { violations?: ConformanceEntry[]; expectations?: ConformanceEntry[]; requestFindings?: number } = {}): ConformanceReport {
  const violations = o.violations ?? [];
  const expectations = o.expectations ?? [];
  return {
    clients: [{ clientKey: 'windows/{A}', protocol: 'sqm-v1', requests: 2, violations, expectations }],
    summary: { checked: 4, violations: violations.length, requestFindings: o.requestFindings ?? 0, unmetExpectations: expectations.length },
    rules: { 'sqm-v1': ['sqm-v1.throttle-ignored'] },
  };
}

describe('parseReportArgs', () => {
  it('defaults --fail-on to warning and drops a trailing slash', () => {
    expect(parseReportArgs(['--url', 'http://127.0.0.1:8080/'])).toEqual({ url: 'http://127.0.0.1:8080', failOn: 'warning', help: false });
  });
  it.each([[[]], [['--url', 'ftp://x']], [['--url', 'http://h', '--fail-on', 'info']], [['--url', 'http://h', 'extra']], [['--url', 'http://h', '--junit', '']], [['--nope']]])(
    'refuses %j with one BAD_FLAG line',
    (argv) => {
      let error: unknown;
      try {
        parseReportArgs(argv);
      } catch (e) {
        error = e;
      }
      expect(isMockError(error) && error.code === 'BAD_FLAG' && !error.message.includes('\n')).toBe(true);
    },
  );
  it('suggests the flag that was meant', () => {
    expect(() => parseReportArgs(['--url', 'http://h', '--fail-of', 'never'])).toThrow(
      'report: expected its flags (see sqm-cer-mock report --help), got "unknown flag --fail-of (did you mean "--fail-on"?)"',
    );
  });
});

describe('failsAt: the --fail-on table', () => {
  const cases: [string, ConformanceReport, number, string][] = [
    // name, report, request errors, exit codes for error warning expectation never
    ['nothing', reportWith(), 0, '0000'],
    ['a conversation warning', reportWith({ violations: [entry('sqm-v1.throttle-ignored', 'warning')] }), 0, '0110'],
    ['a conversation error', reportWith({ violations: [entry('sqm-v1.throttle-ignored', 'error')] }), 0, '1110'],
    ['a request warning', reportWith({ requestFindings: 1 }), 0, '0110'],
    ['a request error', reportWith({ requestFindings: 1 }), 1, '1110'],
    ['an unmet expectation', reportWith({ expectations: [entry('sqm-v1.manifest-not-fetched', 'expectation', 'expectation')] }), 0, '0010'],
  ];
  it.each(cases)('%s', (_name, report, requestErrors, codes) => {
    const levels: FailOn[] = ['error', 'warning', 'expectation', 'never'];
    expect(levels.map((l) => (failsAt(report, requestErrors, l) ? '1' : '0')).join('')).toBe(codes);
  });
});

it('summaryText: a line per violation or expectation, then the totals', () => {
  const text = summaryText(reportWith({ violations: [entry('sqm-v1.throttle-ignored', 'warning')], requestFindings: 2 }));
  expect(text.split('\n')).toEqual([
    'sqm-v1 windows/{A}: warning sqm-v1.throttle-ignored (MS-SQMCS 3.1.5.2.2): too early',
    'conformance: 1 clients, 4 checked, 1 violations, 0 unmet expectations, 2 request findings',
    '',
  ]);
});

describe('runReportCli against an admin API stand-in', () => {
  let server: http.Server;
  let url: string;
  let dir: string;
  let out: string;
  let err: string;
  let answer: { status: number; body: string };
  const seen: { path: string; auth?: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ path: req.url ?? '', auth: req.headers.authorization });
      const junit = req.url?.includes('format=junit');
      const body = req.url?.startsWith('/__admin/violations') ? '{"violations":[]}' : junit ? '<testsuites/>' : answer.body;
      res.writeHead(junit || req.url?.startsWith('/__admin/violations') ? 200 : answer.status).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-cli-'));
    [out, err, seen.length] = ['', '', 0];
    answer = { status: 200, body: JSON.stringify(reportWith({ violations: [entry('sqm-v1.throttle-ignored', 'warning')] })) };
    jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
    jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends the token, writes the JUnit file, prints the summary and exits 1 on a warning', async () => {
    const file = path.join(dir, 'c.xml');
    expect(await runReportCli(['--url', url, '--token', 's3cret', '--junit', file])).toBe(1);
    expect(seen.map((s) => s.auth)).toEqual(['Bearer s3cret', 'Bearer s3cret', 'Bearer s3cret']);
    expect(seen.map((s) => s.path)).toEqual(['/__admin/conformance', '/__admin/violations?kind=request&level=error', '/__admin/conformance?format=junit']);
    expect(fs.readFileSync(file, 'utf8')).toBe('<testsuites/>');
    expect(out).toMatch(/^sqm-v1 windows\/\{A\}: warning sqm-v1\.throttle-ignored/);
    expect(err).toBe('');
  });

  it('sends no Authorization header without --token', async () => {
    expect(await runReportCli(['--url', url, '--fail-on', 'error'])).toBe(0);
    expect(seen.every((s) => s.auth === undefined)).toBe(true);
  });

  it.each<[string, () => string[], RegExp]>([
    ['a 401', () => ((answer = { status: 401, body: '{}' }), ['--url', url]), /--token: expected the mock's --admin-token, got none \(401\)/],
    ['an answer that is not the report', () => ((answer = { status: 200, body: '<html>' }), ['--url', url]), /not its JSON for GET \/__admin\/conformance/],
    ['a 404', () => ((answer = { status: 404, body: '' }), ['--url', url]), /404 for GET \/__admin\/conformance/],
    ['a --junit it cannot write', () => ['--url', url, '--junit', path.join(dir, 'no', 'such', 'dir.xml')], /--junit: cannot write .*\(ENOENT\)/],
  ])('%s: one line on stderr, exit 2', async (_name, argv, pattern) => {
    expect(await runReportCli(argv())).toBe(2);
    expect(err).toMatch(pattern);
    expect(err.trim().split('\n')).toHaveLength(1);
  });

  it('--help prints the usage and exits 0', async () => {
    expect(await runReportCli(['--help'])).toBe(0);
    expect(out).toMatch(/^usage: sqm-cer-mock report --url URL/);
  });
});
