// One step of the reference client: send a request, print it and its answer (status, the headers a
// protocol gives meaning to, the body as text or its size), and the verdicts a flow ends with.

import { exchange, type Reply } from './http';

export interface SendContext {
  base: URL;
  partner: string;
  timeoutMs: number;
  ca?: Buffer;
  /** Where the lines go (stdout in the CLI). */
  out: (line: string) => void;
}

/** How a flow ended: 0 as the protocol says, upload taken; 1 an answer it does not allow; 3 declined as it allows. */
export interface Outcome {
  code: 0 | 1 | 3;
  summary: string;
}

export const ok = (summary: string): Outcome => ({ code: 0, summary });
export const declined = (summary: string): Outcome => ({ code: 3, summary });
/** An answer the protocol does not allow: what was expected, what came. */
export const wrong = (expected: string, got: string): Outcome => ({ code: 1, summary: `expected ${expected}, got ${got}` });

/** Headers worth showing: the SQM v1 values, authentication, redirects, retries. */
const SHOWN = ['content-type', 'throttleinterval', 'manifestversion', 'www-authenticate', 'location', 'retry-after'];
const MAX_LINES = 40;

/** Text if it looks like text (no NUL, few control bytes), else null. */
function asText(body: Buffer): string | null {
  const s = body.toString('utf8');
  // eslint-disable-next-line no-control-regex -- control characters other than tab, CR, LF
  return body.includes(0) || (s.match(/[\u0001-\u0008\u000e-\u001f]/g)?.length ?? 0) > 0 ? null : s;
}

function printBody(ctx: SendContext, body: Buffer): void {
  if (body.length === 0) return ctx.out('  (empty body)');
  const text = asText(body);
  if (text === null) return ctx.out(`  (${body.length} bytes, binary)`);
  const lines = text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  for (const l of lines.slice(0, MAX_LINES)) ctx.out(`  ${l}`);
  if (lines.length > MAX_LINES) ctx.out(`  … ${lines.length - MAX_LINES} more lines`);
}

/**
 * Sends one request, printing `> METHOD target (what, N bytes)`, `< status text`, shown headers and the body.
 * @example const reply = await step(ctx, { method: 'POST', target: '/stage2.htm', body, what: 'WERREPORT' });
 */
export async function step(ctx: SendContext, r: { method: string; target: string; body: Buffer; what: string }): Promise<Reply> {
  ctx.out(`> ${r.method} ${r.target} (${r.what}, ${r.body.length} bytes)`);
  const reply = await exchange({ base: ctx.base, method: r.method, target: r.target, body: r.body, timeoutMs: ctx.timeoutMs, ca: ctx.ca });
  ctx.out(`< ${reply.status} ${reply.statusText}`);
  for (const h of SHOWN) {
    const v = reply.headers[h];
    if (v !== undefined) ctx.out(`  ${h}: ${Array.isArray(v) ? v.join(', ') : v}`);
  }
  printBody(ctx, reply.body);
  return reply;
}

/** `200 OK`, for messages. */
export const statusOf = (r: Reply): string => `${r.status}${r.statusText ? ' ' + r.statusText : ''}`;
