// SQM v2 across requests (INTERFACE.md section 5, MS-SQMCS2 3.1.5.2-3.1.5.4): each req is judged
// against what earlier answers told the same client (its `mid`): throttles by namespace level,
// refused data and its retry time, and the scope and use of its token. Plain facts in, findings out.

import { after, conversationFinding, type Setup } from '../../conversation';
import type { FindingRecord } from '../../store';
import { findingFor, type SqmV2Rule } from './rules';
import type { TokenRow } from './state';

/** A namespace as judged: the four attributes and the args (name=value), as the request or answer had them. */
export interface Ns {
  svc?: string;
  ptr?: string;
  gp?: string;
  app?: string;
  args?: Record<string, string>;
}

export type ThrottleLevel = 'root' | 'svc' | 'ptr' | 'gp' | 'app' | 'all';

const RETRY_AFTER_MS = 8 * 3600_000;
const same = (a: Record<string, string> | undefined, b: Record<string, string> | undefined) => JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});

/** MS-SQMCS2 3.1.5.2.2: whether a throttle of `level` on namespace `t` stops a request on namespace `r`. */
export function throttleCovers(level: ThrottleLevel, t: Ns, r: Ns): boolean {
  if (level === 'root') return true;
  if (r.svc !== 'sqm') return false;
  const steps: ThrottleLevel[] = ['svc', 'ptr', 'gp', 'app', 'all'];
  const upTo = steps.indexOf(level);
  return (upTo < 1 || r.ptr === t.ptr) && (upTo < 2 || r.gp === t.gp) && (upTo < 3 || r.app === t.app) && (upTo < 4 || same(r.args, t.args));
}

export interface ReqFacts {
  clientKey: string;
  nowMs: number;
  /** The req's key and command, for the messages. */
  key: string;
  command: string;
  namespace: Ns;
}

const finding = (f: ReqFacts, rule: SqmV2Rule, message: string, s: Pick<Setup, 'requestId'> | null): FindingRecord =>
  conversationFinding('sqm-v2', f.clientKey, findingFor(rule, `<req key="${f.key}"> ${f.command}: ${message}`), s);

/** Active throttles (their windows still open) that cover this req's namespace. */
export function judgeThrottles(f: ReqFacts, active: Setup[]): FindingRecord[] {
  return active
    .filter((s) => throttleCovers(s.data.level as ThrottleLevel, (s.data.namespace ?? {}) as Ns, f.namespace))
    .map((s) =>
      finding(
        f,
        'sqm-v2.throttle-ignored',
        `sent ${after(s, f.nowMs)} after request ${s.requestId} answered throttle period ${String(s.data.period)} days at level ${String(s.data.level)} (until ${s.until})`,
        s,
      ),
    );
}

/** The same data sent again after an error: never after retrv=0, not within 8 hours after retrv=1. */
export function judgeRetry(f: ReqFacts, refused: Setup[]): FindingRecord[] {
  const out: FindingRecord[] = [];
  for (const s of refused) {
    if (s.data.retrv === 0) out.push(finding(f, 'sqm-v2.retry-refused', `the same data was refused by request ${s.requestId} with retrv=0 (do not retry)`, s));
    else if (f.nowMs - Date.parse(s.at) < RETRY_AFTER_MS)
      out.push(finding(f, 'sqm-v2.retry-early', `retried ${after(s, f.nowMs)} after request ${s.requestId} answered retrv=1; the retry is due after 8 hours`, s));
  }
  return out;
}

/** A dataupload's token: never issued, issued to another client or namespace, expired, or already used for a receipt. */
export function judgeToken(f: ReqFacts, token: string, row: TokenRow | undefined): FindingRecord[] {
  if (!row) return [finding(f, 'sqm-v2.no-requpload', `token ${token} was never approved for this client (no requpload got it)`, null)];
  const out: FindingRecord[] = [];
  const ns = (row.namespace ?? {}) as Ns & { args?: { nm: string; val: string }[] };
  if (row.mid !== null && row.mid.toUpperCase() !== f.clientKey)
    out.push(finding(f, 'sqm-v2.token-scope', `token ${token} was approved by request ${row.requestId} for mid ${row.mid}, not ${f.clientKey}`, row));
  const approved = `${ns.svc}/${ns.ptr}/${ns.gp}/${ns.app}`;
  const used = `${f.namespace.svc}/${f.namespace.ptr}/${f.namespace.gp}/${f.namespace.app}`;
  if (approved !== used) out.push(finding(f, 'sqm-v2.token-scope', `token ${token} was approved by request ${row.requestId} for namespace ${approved}, used for ${used}`, row));
  if (Date.parse(row.expiresAt) <= f.nowMs)
    out.push(finding(f, 'sqm-v2.token-expired', `token ${token} of request ${row.requestId} expired at ${row.expiresAt}, ${after({ at: row.expiresAt }, f.nowMs)} before`, row));
  if (row.receipts.length > 0) out.push(finding(f, 'sqm-v2.token-reused', `token ${token} of request ${row.requestId} already got a receipt in request ${row.receipts[0]}`, row));
  return out;
}
