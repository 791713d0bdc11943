// `sqm-cer-mock report --url URL [--token T] [--junit FILE] [--fail-on error|warning|expectation|never]`
// (INTERFACE.md section 5): prints a running mock's conformance summary, writes its JUnit XML, and
// exits 1 when it finds what --fail-on names (0 otherwise; 2 for bad usage or an unreachable mock).

import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { ConformanceReport } from './admin/conformance';
import { ERR, isMockError, quote } from './errors';

export const REPORT_USAGE = `usage: sqm-cer-mock report --url URL [--token T] [--junit FILE] [--fail-on error|warning|expectation|never]
  --url URL      the running mock (its main listener)
  --token T      its --admin-token
  --junit FILE   also write the report as JUnit XML
  --fail-on L    exit 1 on: error (conversation or request errors), warning (the default: also warnings),
                 expectation (also unmet expectations), never
  exit status    0 nothing found at that level; 1 found; 2 bad usage or the mock could not be reached`;

const FAIL_ON = ['error', 'warning', 'expectation', 'never'] as const;
type FailOn = (typeof FAIL_ON)[number];

interface ReportArgs {
  url: string;
  token?: string;
  junit?: string;
  failOn: FailOn;
}

function parse(argv: string[]): ReportArgs {
  let v;
  try {
    v = parseArgs({ args: argv, strict: true, options: { url: { type: 'string' }, token: { type: 'string' }, junit: { type: 'string' }, 'fail-on': { type: 'string' } } }).values;
  } catch (e) {
    throw ERR.BAD_FLAG({ subject: 'report', expected: 'its flags (see sqm-cer-mock report --help)', got: quote((e as Error).message.split('\n')[0]) });
  }
  if (!v.url || !/^https?:\/\/[^/]/i.test(v.url)) throw ERR.BAD_FLAG({ subject: '--url', expected: 'the mock base URL, http(s)://host:port', got: quote(v.url ?? '') });
  const failOn = (v['fail-on'] ?? 'warning') as FailOn;
  if (!FAIL_ON.includes(failOn)) throw ERR.BAD_FLAG({ subject: '--fail-on', expected: FAIL_ON.join(', '), got: quote(failOn) });
  return { url: v.url.replace(/\/+$/, ''), token: v.token, junit: v.junit, failOn };
}

async function get(a: ReportArgs, path: string): Promise<string> {
  const headers: Record<string, string> = a.token ? { authorization: `Bearer ${a.token}` } : {};
  let res: Response;
  try {
    res = await fetch(`${a.url}/__admin${path}`, { headers });
  } catch (e) {
    throw ERR.BAD_FLAG({
      subject: '--url',
      expected: 'a running mock',
      got: `${quote(a.url)} (${(e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message})`,
    });
  }
  if (!res.ok) throw ERR.BAD_FLAG({ subject: '--url', expected: 'its admin API to answer', got: `${res.status} for ${path}` });
  return res.text();
}

/** Whether the report breaks the --fail-on level. */
function fails(r: ConformanceReport, requestErrors: number, failOn: FailOn): boolean {
  const levels = r.clients.flatMap((c) => c.violations.map((v) => v.level));
  if (failOn === 'never') return false;
  if (levels.includes('error') || requestErrors > 0) return true;
  if (failOn === 'error') return false;
  if (levels.includes('warning') || r.summary.requestFindings > 0) return true;
  return failOn === 'expectation' && r.summary.unmetExpectations > 0;
}

function summary(r: ConformanceReport): string {
  const lines = r.clients.flatMap((c) => [...c.violations, ...c.expectations].map((e) => `${c.protocol} ${c.clientKey}: ${e.level} ${e.rule} (${e.specRef}): ${e.message}`));
  const s = r.summary;
  lines.push(
    `conformance: ${r.clients.length} clients, ${s.checked} checked, ${s.violations} violations, ${s.unmetExpectations} unmet expectations, ${s.requestFindings} request findings`,
  );
  return lines.join('\n') + '\n';
}

/**
 * Runs the `report` subcommand; `argv` is what follows `report`. Resolves to the exit code; never throws.
 * @example process.exitCode = await runReportCli(['--url', 'http://127.0.0.1:8080', '--junit', 'conformance.xml']);
 */
export async function runReportCli(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(REPORT_USAGE + '\n');
    return 0;
  }
  try {
    const a = parse(argv);
    const report = JSON.parse(await get(a, '/conformance')) as ConformanceReport;
    const errors = (JSON.parse(await get(a, '/violations?kind=request&level=error')) as { violations: unknown[] }).violations.length;
    if (a.junit) await writeFile(a.junit, await get(a, '/conformance?format=junit'));
    process.stdout.write(summary(report));
    return fails(report, errors, a.failOn) ? 1 : 0;
  } catch (e) {
    process.stderr.write(`sqm-cer-mock report: ${isMockError(e) ? e.message : `unexpected: ${(e as Error).message}`}\n`);
    return 2;
  }
}
