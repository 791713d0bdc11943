// `sqm-cer-mock send <v1|v2|cer|ceip> --url URL [options]` (INTERFACE.md section 6): a reference client
// that runs the real client flow against any server (the mock, a relay, a pipeline) and prints each answer.

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ERR, isMockError, osReason, quote } from './errors';
import { sendCeip, sendCer } from './send/cer';
import { sendV1, sendV2 } from './send/flows';
import { Unreachable } from './send/http';
import type { Outcome, SendContext } from './send/step';

export const SEND_FLOWS = ['v1', 'v2', 'cer', 'ceip'] as const;
export type SendFlow = (typeof SEND_FLOWS)[number];

export const SEND_USAGE = `usage: sqm-cer-mock send <v1|v2|cer|ceip> --url URL [options]
  v1             POST an SQM v1 session; after a 201 with ManifestVersion, GET that manifest
  v2             SQM v2 requpload, then a dataupload of the session(s) with the token it was approved with
  cer            CER level-1 WERREPORT to /stage2.htm, then (iData=1) a level-2 PUT of a cabinet to the
                 DumpFile exactly as issued
  ceip           CEIP redirect: POST /?partner=<service> with an SQM v1 session
  --url URL      the server, e.g. http://127.0.0.1:8080 (the mock, a relay, any implementation)
  --partner P    the SQM partner in the paths (default windows)
  --file F       what to send: an SQM v1 session for v1, v2 (repeatable: one req each) and ceip (default
                 samples/win7-sp1-capture.bin), a WERREPORT for cer (default samples/report.utf16)
  --cab F        cer: the level-2 cabinet (default: one holding each file the report's FILES lists)
  --compress     v2: send the payload as an MSZIP cabinet (comp="cab")
  --service URL  ceip: the partner= service URL (default URL/sqm/P/sqmserver.dll)
  --ca F         trust this CA certificate (PEM) for an https --url
  --timeout-ms N per request (default 15000)
  exit status    0 every answer is one the protocol allows and the upload was taken; 1 an answer the
                 protocol does not allow (status, body, a missing token or DumpFile, a refused upload);
                 3 an answer that declines the upload as the protocol allows (v1 403; v2 throttle,
                 error or none); 2 bad usage, a file that cannot be read, or no answer from the server`;

export interface SendArgs {
  flow: SendFlow;
  url: URL;
  partner: string;
  files: string[];
  cab?: string;
  compress: boolean;
  service?: string;
  ca?: string;
  timeoutMs: number;
}

const FLAGS = {
  url: { type: 'string' },
  partner: { type: 'string' },
  file: { type: 'string', multiple: true },
  cab: { type: 'string' },
  compress: { type: 'boolean' },
  service: { type: 'string' },
  ca: { type: 'string' },
  'timeout-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const absolute = (flag: string, v: string | undefined): URL => {
  if (!v || !/^https?:\/\/[^/]/i.test(v)) throw ERR.BAD_FLAG({ subject: flag, expected: 'an absolute http(s) URL', got: quote(v ?? '') });
  return new URL(v);
};

/** The flow and flags after `send`; null for --help; throws BAD_FLAG (one line) for anything else. */
export function parseSendArgs(argv: string[]): SendArgs | null {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, strict: true, allowPositionals: true, options: FLAGS });
  } catch (e) {
    throw ERR.BAD_FLAG({ expected: 'its flags (see sqm-cer-mock send --help)', got: quote((e as Error).message.split('\n')[0]) });
  }
  const v = parsed.values;
  if (v.help) return null;
  const flow = parsed.positionals[0] as SendFlow | undefined;
  if (!flow || !SEND_FLOWS.includes(flow) || parsed.positionals.length > 1)
    throw ERR.BAD_FLAG({ subject: 'the flow', expected: `one of ${SEND_FLOWS.join(', ')}`, got: parsed.positionals.length ? quote(parsed.positionals.join(' ')) : 'nothing' });
  const timeoutMs = Number(v['timeout-ms'] ?? 15000);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
    throw ERR.BAD_FLAG({ subject: '--timeout-ms', expected: 'a whole number of milliseconds ≥ 1', got: quote(v['timeout-ms'] ?? '') });
  if (v.partner === '') throw ERR.BAD_FLAG({ subject: '--partner', expected: 'a partner name', got: '""' });
  if (v.service !== undefined) absolute('--service', v.service);
  if (v.cab !== undefined && flow !== 'cer') throw ERR.BAD_FLAG({ subject: '--cab', expected: 'it with send cer only', got: `send ${flow}` });
  if (v.compress && flow !== 'v2') throw ERR.BAD_FLAG({ subject: '--compress', expected: 'it with send v2 only', got: `send ${flow}` });
  if ((v.file?.length ?? 0) > 1 && flow !== 'v2') throw ERR.BAD_FLAG({ subject: '--file', expected: 'one file (several only with send v2)', got: `${v.file!.length}` });
  const url = absolute('--url', v.url);
  return { flow, url, partner: v.partner ?? 'windows', files: v.file ?? [], cab: v.cab, compress: v.compress ?? false, service: v.service, ca: v.ca, timeoutMs };
}

/** samples/ of the package, found from this file in both server/ (ts-jest) and dist/server/ (built). */
export function samplePath(name: string): string {
  const dirs = ['../samples', '../../samples'].map((up) => path.resolve(__dirname, up));
  return path.join(dirs.find((d) => fs.existsSync(d)) ?? dirs[1], name);
}

function readFlagFile(flag: string, file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw ERR.BAD_FLAG({ subject: flag, said: `cannot read ${quote(file)} (${osReason(e)})` });
  }
}

function run(a: SendArgs, ctx: SendContext): Promise<Outcome> {
  const sessions = (a.files.length ? a.files : [samplePath('win7-sp1-capture.bin')]).map((f) => readFlagFile('--file', f));
  const base = a.url.href.replace(/\/+$/, '');
  switch (a.flow) {
    case 'v1':
      return sendV1(ctx, sessions[0]);
    case 'v2':
      return sendV2(ctx, sessions, a.compress);
    case 'ceip':
      return sendCeip(ctx, sessions[0], a.service ?? `${base}/sqm/${encodeURIComponent(a.partner)}/sqmserver.dll`);
    case 'cer':
      return sendCer(ctx, readFlagFile('--file', a.files[0] ?? samplePath('report.utf16')), a.cab === undefined ? undefined : readFlagFile('--cab', a.cab));
  }
}

/**
 * Runs the `send` subcommand; `argv` is what follows `send`. Resolves to the exit code; never throws.
 * @example process.exitCode = await runSendCli(['cer', '--url', 'http://127.0.0.1:8080']);
 */
export async function runSendCli(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(s),
  err: (s: string) => void = (s) => process.stderr.write(s),
): Promise<number> {
  let flow = 'send';
  try {
    const a = parseSendArgs(argv);
    if (!a) return (out(SEND_USAGE + '\n'), 0);
    flow = `send ${a.flow}`;
    const ctx: SendContext = {
      base: a.url,
      partner: a.partner,
      timeoutMs: a.timeoutMs,
      ca: a.ca === undefined ? undefined : readFlagFile('--ca', a.ca),
      out: (l) => out(l + '\n'),
    };
    const outcome = await run(a, ctx);
    if (outcome.code === 0) out(`${flow}: ok: ${outcome.summary}\n`);
    else err(`sqm-cer-mock ${flow}: ${outcome.code === 3 ? 'declined' : 'not as the protocol says'}: ${outcome.summary}\n`);
    return outcome.code;
  } catch (e) {
    const msg =
      e instanceof Unreachable ? `--url: could not reach the server (${e.reason}) (${e.hint})` : isMockError(e) ? e.message : `unexpected: ${(e as Error)?.message ?? String(e)}`;
    err(`sqm-cer-mock ${flow}: ${msg.split('\n')[0]}\n`);
    return 2;
  }
}
