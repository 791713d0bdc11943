// `sqm-cer-mock report --url URL [--token T] [--junit FILE] [--fail-on error|warning|expectation|never]`
// (INTERFACE.md section 5): prints a running mock's conformance summary, writes its JUnit XML, and
// exits 1 when it finds what --fail-on names (0 otherwise; 2 for bad usage or an unreachable mock).

import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseArgsProblem } from './suggest';
import type { ConformanceReport } from './admin/conformance';
import { ERR, isMockError, osReason, quote } from './errors';

/** How long each admin request may take before `report` gives up (exit 2). */
export const REPORT_TIMEOUT_MS = 15_000;

export const REPORT_USAGE = `usage: sqm-cer-mock report --url URL [--token T] [--junit FILE] [--fail-on error|warning|expectation|never]
  --url URL      the running mock (its main listener), e.g. http://127.0.0.1:8080
  --token T      its --admin-token (sent as Authorization: Bearer T)
  --junit FILE   also write the report as JUnit XML (one testsuite per protocol)
  --fail-on L    exit 1 on: error (conversation or request errors), warning (the default: also warnings),
                 expectation (also unmet expectations), never
  exit status    0 nothing found at that level; 1 found; 2 bad usage, or the mock could not be
                 reached or did not answer in ${REPORT_TIMEOUT_MS / 1000} s`;

export const FAIL_ON = ['error', 'warning', 'expectation', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface ReportArgs {
  url: string;
  token?: string;
  junit?: string;
  failOn: FailOn;
  help: boolean;
}

const FLAGS = { url: { type: 'string' }, token: { type: 'string' }, junit: { type: 'string' }, 'fail-on': { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

/** The flags after `report`; throws BAD_FLAG (one line) for anything else. */
export function parseReportArgs(argv: string[]): ReportArgs {
  let v;
  try {
    v = parseArgs({ args: argv, strict: true, options: FLAGS }).values;
  } catch (e) {
    throw ERR.BAD_FLAG({ subject: 'report', expected: 'its flags (see sqm-cer-mock report --help)', got: quote(parseArgsProblem(e, Object.keys(FLAGS))) });
  }
  if (v.help) return { url: '', failOn: 'warning', help: true };
  if (!v.url || !/^https?:\/\/[^/]/i.test(v.url)) throw ERR.BAD_FLAG({ subject: '--url', expected: 'the mock base URL, http(s)://host:port', got: quote(v.url ?? '') });
  const failOn = (v['fail-on'] ?? 'warning') as FailOn;
  if (!FAIL_ON.includes(failOn)) throw ERR.BAD_FLAG({ subject: '--fail-on', expected: FAIL_ON.join(', '), got: quote(failOn) });
  if (v.junit === '') throw ERR.BAD_FLAG({ subject: '--junit', expected: 'a file name', got: '""' });
  return { url: v.url.replace(/\/+$/, ''), token: v.token, junit: v.junit, failOn, help: false };
}

/** Why a fetch failed, in a few words: `ECONNREFUSED`, `ENOTFOUND`, `no answer in 15 s`. */
function unreachable(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return `no answer in ${REPORT_TIMEOUT_MS / 1000} s`;
  return err.cause?.code ?? err.cause?.message ?? err.message;
}

/** GET `/__admin<path>` as text; every failure is a one-line BAD_FLAG naming --url or --token. */
async function get(a: ReportArgs, path: string): Promise<string> {
  const headers: Record<string, string> = a.token ? { authorization: `Bearer ${a.token}` } : {};
  let res: Response;
  try {
    res = await fetch(`${a.url}/__admin${path}`, { headers, signal: AbortSignal.timeout(REPORT_TIMEOUT_MS) });
  } catch (e) {
    throw ERR.BAD_FLAG({ subject: '--url', said: `could not reach ${a.url} (${unreachable(e)})`, hint: 'is the mock running?' });
  }
  if (res.status === 401) throw ERR.BAD_FLAG({ subject: '--token', expected: "the mock's --admin-token", got: a.token ? 'one it refused (401)' : 'none (401)' });
  if (!res.ok) throw ERR.BAD_FLAG({ subject: '--url', expected: 'a sqm-cer-mock admin API', got: `${res.status} for GET /__admin${path}` });
  return res.text();
}

async function getJson<T>(a: ReportArgs, path: string, ok: (v: T) => boolean): Promise<T> {
  const text = await get(a, path);
  let v: T | undefined;
  try {
    v = JSON.parse(text) as T;
  } catch {
    v = undefined;
  }
  if (v === undefined || v === null || !ok(v))
    throw ERR.BAD_FLAG({ subject: '--url', expected: 'a sqm-cer-mock admin API', got: `an answer that is not its JSON for GET /__admin${path}` });
  return v;
}

/**
 * Whether the report breaks the --fail-on level. `requestErrors`: the request-kind findings of level
 * error (summary.requestFindings counts request-kind warnings and errors together).
 */
export function failsAt(r: ConformanceReport, requestErrors: number, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  const levels = r.clients.flatMap((c) => c.violations.map((v) => v.level));
  if (levels.includes('error') || requestErrors > 0) return true;
  if (failOn === 'error') return false;
  if (levels.includes('warning') || r.summary.requestFindings > 0) return true;
  return failOn === 'expectation' && r.summary.unmetExpectations > 0;
}

/** One line per conversation violation or unmet expectation, then the totals line. */
export function summaryText(r: ConformanceReport): string {
  const lines = r.clients.flatMap((c) => [...c.violations, ...c.expectations].map((e) => `${c.protocol} ${c.clientKey}: ${e.level} ${e.rule} (${e.specRef}): ${e.message}`));
  const s = r.summary;
  lines.push(
    `conformance: ${r.clients.length} clients, ${s.checked} checked, ${s.violations} violations, ${s.unmetExpectations} unmet expectations, ${s.requestFindings} request findings`,
  );
  return lines.join('\n') + '\n';
}

async function writeJunit(a: ReportArgs & { junit: string }): Promise<void> {
  const xml = await get(a, '/conformance?format=junit');
  try {
    await writeFile(a.junit, xml);
  } catch (e) {
    throw ERR.BAD_FLAG({ subject: '--junit', said: `cannot write ${quote(a.junit)} (${osReason(e)})` });
  }
}

async function run(a: ReportArgs): Promise<number> {
  const report = await getJson<ConformanceReport>(a, '/conformance', (v) => Array.isArray(v.clients) && typeof v.summary === 'object');
  const request = await getJson<{ violations: unknown[] }>(a, '/violations?kind=request&level=error', (v) => Array.isArray(v.violations));
  if (a.junit) await writeJunit({ ...a, junit: a.junit });
  process.stdout.write(summaryText(report));
  return failsAt(report, request.violations.length, a.failOn) ? 1 : 0;
}

/**
 * Runs the `report` subcommand; `argv` is what follows `report`. Resolves to the exit code; never throws.
 * @example process.exitCode = await runReportCli(['--url', 'http://127.0.0.1:8080', '--junit', 'conformance.xml']);
 */
export async function runReportCli(argv: string[]): Promise<number> {
  try {
    const a = parseReportArgs(argv);
    if (!a.help) return await run(a);
    process.stdout.write(REPORT_USAGE + '\n');
    return 0;
  } catch (e) {
    const msg = isMockError(e) ? e.message : `unexpected: ${(e as Error)?.message ?? String(e)}`;
    process.stderr.write(`sqm-cer-mock report: ${msg.split('\n')[0]}\n`);
    return 2;
  }
}
