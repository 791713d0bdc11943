// SQM v2's conversation glue: judges each req against what earlier answers set up for the client
// (checks.ts), and records what its answer sets up (throttles, refused data, sessions accepted,
// manifests announced) as rows of the conversation table.

import { createHash } from 'node:crypto';
import { argValue, type Arg, type TpxsReq } from '../../codecs/sqm-v2-message/types';
import { setupRow, type ConversationState } from '../../conversation';
import { judgeRetry, judgeThrottles, judgeToken, type Ns, type ReqFacts } from './checks';
import type { RespCmd } from './response';
import { findingFor } from './rules';
import { tokenOf, type V2Work } from './work';

const DAY_MS = 86400_000;
const argsObject = (args: readonly Arg[]): Record<string, string> => Object.fromEntries(args.map((a) => [a.nm, a.val]));

/** The client of a message: its `<ctrl>` mid, braces kept, in upper case (null: nothing to judge by). */
export const clientKeyOf = (ctrl: readonly Arg[]): string | null => argValue(ctrl, 'mid')?.toUpperCase() ?? null;

const nsOf = (r: TpxsReq): Ns => {
  const ns = r.namespace;
  return ns ? { svc: ns.svc, ptr: ns.ptr, gp: ns.gp, app: ns.app, args: argsObject(ns.args) } : {};
};

const factsOf = (w: V2Work & { clientKey: string }, r: TpxsReq): ReqFacts => ({
  clientKey: w.clientKey,
  nowMs: w.ctx.clock.nowMs(),
  key: r.key,
  command: r.cmd?.nm ?? '?',
  namespace: nsOf(r),
});

/** What identifies "the same data" again: a dataupload's session bytes, a requpload's namespace. */
function dataDigest(w: V2Work, r: TpxsReq): string {
  const args = r.cmd?.args ?? [];
  if (r.cmd?.nm === 'dataupload' && w.blob) {
    const offset = Number(argValue(args, 'offset'));
    const size = Number(argValue(args, 'size'));
    if (Number.isSafeInteger(offset) && Number.isSafeInteger(size) && offset >= 0 && size > 0 && offset + size <= w.blob.bytes.length) {
      return createHash('sha1')
        .update(w.blob.bytes.subarray(offset, offset + size))
        .digest('hex');
    }
  }
  const ns = nsOf(r);
  return `${r.cmd?.nm}:${ns.svc}/${ns.ptr}/${ns.gp}/${ns.app}:${argValue(args, 'token') ?? ''}`;
}

/** Judges one requpload or dataupload before it is answered. */
export function judgeReq(w: V2Work, r: TpxsReq): void {
  if (w.clientKey === null || (r.cmd?.nm !== 'requpload' && r.cmd?.nm !== 'dataupload')) return;
  const f = factsOf(w as V2Work & { clientKey: string }, r);
  const c = w.conversation;
  w.findings.push(...judgeThrottles(f, c.setups({ kind: 'throttle', clientKey: f.clientKey, activeAt: new Date(f.nowMs).toISOString() })));
  // The digest hashes the session bytes: only worth it when this client was ever refused.
  if (c.mayHave('refused', f.clientKey)) w.findings.push(...judgeRetry(f, c.setups({ kind: 'refused', clientKey: f.clientKey, ref: dataDigest(w, r) })));
  const token = argValue(r.cmd?.args ?? [], 'token')?.toLowerCase();
  // A malformed token is a finding of this request alone (sqm-v2.token).
  if (r.cmd.nm === 'dataupload' && token !== undefined && /^3\.[0-9a-f]{32}\.[0-9a-f]{16}$/.test(token)) w.findings.push(...judgeToken(f, token, tokenOf(w, token)));
}

/** Records what the answer to one req sets up for the client. */
export function rememberAnswer(w: V2Work, r: TpxsReq, cmd: RespCmd): void {
  if (w.clientKey === null) return;
  const base = { clientKey: w.clientKey, protocol: 'sqm-v2', at: w.ctx.clock.now() };
  if (cmd.nm === 'throttle') {
    w.rows.push(
      setupRow({ ...base, kind: 'throttle', until: new Date(base.at.getTime() + cmd.period * DAY_MS), data: { level: cmd.namespace, period: cmd.period, namespace: nsOf(r) } }),
    );
  } else if (cmd.nm === 'error' && (r.cmd?.nm === 'requpload' || r.cmd?.nm === 'dataupload')) {
    w.rows.push(setupRow({ ...base, kind: 'refused', ref: dataDigest(w, r), data: { retrv: cmd.retrv } }));
  } else if (cmd.nm === 'rsrc') {
    rememberResource(w as V2Work & { clientKey: string }, r, cmd, base);
  }
}

/** An rsrc whose ver differs from the manifest of the client's latest session: it should be downloaded. */
function rememberResource(w: V2Work & { clientKey: string }, r: TpxsReq, cmd: Extract<RespCmd, { nm: 'rsrc' }>, base: { clientKey: string; protocol: string; at: Date }): void {
  const [latest] = w.conversation.setups({ kind: 'accepted', clientKey: w.clientKey, last: true });
  // No session of this client seen: nothing says which manifest it has.
  if (!latest || latest.data.manifestVersion === cmd.ver) return;
  const partner = r.namespace?.ptr ?? '';
  const { specRef } = findingFor('sqm-v2.manifest-not-fetched', '');
  w.rows.push(
    setupRow({
      ...base,
      kind: 'manifest',
      ref: `${partner}:${cmd.ver}`,
      data: { partner, version: cmd.ver },
      expectation: {
        rule: 'sqm-v2.manifest-not-fetched',
        specRef,
        message: `<req key="${r.key}"> rsrc ver ${cmd.ver} (the client's latest session has ManifestVersion ${String(latest.data.manifestVersion)}); ${cmd.path} was not downloaded`,
      },
    }),
  );
}

/**
 * A session the service gave a receipt for: its manifest version, for later qryrsrc answers (which
 * read only the latest). Written when it differs from the client's latest, so a client uploading
 * session after session under one manifest adds one row, not one per session.
 */
export function rememberSession(w: V2Work, manifestVersion: number): void {
  if (w.clientKey === null) return;
  const pending = [...w.rows].reverse().find((r) => r.stmt === 'conversation:setup' && r.params.kind === 'accepted');
  const latest = pending ? (JSON.parse(String(pending.params.data)) as { manifestVersion?: number }).manifestVersion : latestManifest(w.conversation, w.clientKey);
  if (latest === manifestVersion) return;
  w.rows.push(setupRow({ clientKey: w.clientKey, protocol: 'sqm-v2', at: w.ctx.clock.now(), kind: 'accepted', data: { manifestVersion } }));
}

/** The ManifestVersion of the client's latest session with a receipt (undefined: none seen). */
function latestManifest(c: ConversationState, clientKey: string): number | undefined {
  if (!c.mayHave('accepted', clientKey)) return undefined;
  const [latest] = c.setups({ kind: 'accepted', clientKey, last: true });
  return latest?.data.manifestVersion as number | undefined;
}
