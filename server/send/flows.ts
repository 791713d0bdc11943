// The reference client's flows for SQM (MS-SQMCS, MS-SQMCS2): a v1 upload (and the manifest a 201
// announces), and a v2 requpload then a dataupload with the token it was approved with.

import { buildCabinet } from '../cab/write';
import { buildSqmV2Message } from '../testing/sqm-v2-message';
import { declined, ok, statusOf, step, wrong, type Outcome, type SendContext } from './step';
import type { Reply } from './http';
import { readV2Answer, type V2Command } from './v2-answer';

const uploadPath = (ctx: SendContext) => `/sqm/${encodeURIComponent(ctx.partner)}/sqmserver.dll`;

/** A 201's value, from its header or its `Name:"value"` body line (MS-SQMCS 2.2.3: both carry it). */
function v1Value(r: Reply, name: string): string | undefined {
  const h = r.headers[name.toLowerCase()];
  if (typeof h === 'string') return h.replace(/^"|"$/g, '');
  return new RegExp(`^${name}:"?([^"\\r\\n]*)"?\\r?$`, 'm').exec(r.body.toString('latin1'))?.[1];
}

/** MS-SQMCS 3.1.5.3: a client told of another manifest version downloads it. */
async function fetchManifest(ctx: SendContext, version: string): Promise<Outcome | null> {
  const r = await step(ctx, {
    method: 'GET',
    target: `/sqm/${encodeURIComponent(ctx.partner)}/manifests/Sqm${version}.bin`,
    body: Buffer.alloc(0),
    what: 'the announced manifest',
  });
  return r.status === 200 && r.body.length > 0 ? null : wrong(`200 and the manifest for Sqm${version}.bin (MS-SQMCS 3.1.5.3)`, `${statusOf(r)} with ${r.body.length} bytes`);
}

/** SQM v1: POST the session; 200 or 201 is taken (a 201's manifest fetched), 403 declined. */
export async function sendV1(ctx: SendContext, session: Buffer): Promise<Outcome> {
  const r = await step(ctx, { method: 'POST', target: uploadPath(ctx), body: session, what: 'SQM v1 session' });
  if (r.status === 200) return ok('session accepted (200)');
  if (r.status === 403) return declined('throttled: no upload for 14 days (403, MS-SQMCS 3.1.5.2.3)');
  if (r.status !== 201) return wrong('200, 201 or 403 (MS-SQMCS 3.1.5.2)', statusOf(r));
  const throttle = v1Value(r, 'ThrottleInterval');
  const manifest = v1Value(r, 'ManifestVersion');
  if (throttle === undefined && manifest === undefined) return wrong('a 201 with ThrottleInterval or ManifestVersion (MS-SQMCS 3.1.5.2.2)', 'neither');
  if (manifest !== undefined && !/^\d+$/.test(manifest)) return wrong('a decimal ManifestVersion', JSON.stringify(manifest));
  const failed = manifest === undefined ? null : await fetchManifest(ctx, manifest);
  if (failed) return failed;
  const said = [throttle === undefined ? '' : `ThrottleInterval ${throttle} days`, manifest === undefined ? '' : `manifest ${manifest} fetched`].filter(Boolean);
  return ok(`session accepted (201: ${said.join(', ')})`);
}

/** The commands of a v2 answer, or what is wrong with it (MS-SQMCS2 3.1.5.1: an empty 200 means the server could not read the message). */
function v2Commands(r: Reply, keys: readonly string[]): { commands: Record<string, V2Command> } | { outcome: Outcome } {
  const no = (expected: string, got: string) => ({ outcome: wrong(expected, got) });
  if (r.status !== 200) return no('200 (MS-SQMCS2 3.1.5.1)', statusOf(r));
  if (r.body.length === 0) return no('a <resp> (an empty 200 says the server could not read the message, MS-SQMCS2 3.1.5.1)', 'an empty body');
  const read = readV2Answer(r.body.toString('utf8'));
  if (!read.value) return no('a TPXS <resp> (MS-SQMCS2 2.2.3)', read.problem ?? 'something else');
  const missing = keys.find((k) => !read.value![k]);
  return missing === undefined
    ? { commands: read.value }
    : no(`a <resp key="${missing}"> for each <req key> (MS-TPXS 2.2)`, `keys ${Object.keys(read.value).join(', ') || 'none'}`);
}

/** A throttle, error or none answer: declined as MS-SQMCS2 3.1.5.2 allows. */
function v2Declined(c: V2Command, key: string): Outcome {
  const args = Object.entries(c.args).map(([k, v]) => `${k}=${v}`);
  return declined(`req ${key} answered ${c.nm}${args.length ? ` (${args.join(', ')})` : ''}`);
}

/** SQM v2: requpload, then the sessions in one dataupload with the token; each req must get a receipt. */
export async function sendV2(ctx: SendContext, sessions: readonly Buffer[], compress: boolean): Promise<Outcome> {
  const namespace = { ptr: ctx.partner };
  const ask = await step(ctx, { method: 'POST', target: uploadPath(ctx), body: buildSqmV2Message({ cmd: 'requpload', namespace }), what: 'SQM v2 requpload' });
  const approval = v2Commands(ask, ['1']);
  if ('outcome' in approval) return approval.outcome;
  const c = approval.commands['1'];
  if (['throttle', 'error', 'none'].includes(c.nm)) return v2Declined(c, '1');
  if (c.nm !== 'approved' || !c.args.token) return wrong('approved with a token (MS-SQMCS2 2.2.3.2)', c.nm === 'approved' ? 'approved without a token' : c.nm);
  const body = buildSqmV2Message({ cmd: 'dataupload', token: c.args.token, sessions, namespace, compress: compress ? (raw) => buildCabinet(raw) : undefined });
  const what = `SQM v2 dataupload of ${sessions.length} session${sessions.length === 1 ? '' : 's'}${compress ? ' in a cabinet' : ''}`;
  const keys = sessions.map((_s, i) => String(i + 1));
  const receipts = v2Commands(await step(ctx, { method: 'POST', target: uploadPath(ctx), body, what }), keys);
  if ('outcome' in receipts) return receipts.outcome;
  for (const k of keys) {
    const r = receipts.commands[k];
    if (['throttle', 'error', 'none'].includes(r.nm)) return v2Declined(r, k);
    if (r.nm !== 'receipt') return wrong(`a receipt for req ${k} (MS-SQMCS2 2.2.3.3)`, r.nm);
  }
  return ok(`${keys.length} session${keys.length === 1 ? '' : 's'} taken with token ${c.args.token} (receipt${keys.length === 1 ? '' : 's'})`);
}
