// One dataupload req (MS-SQMCS2 3.2.5.2): token, slice of the payload, the slice decoded as an
// SQM v1 session and stored with its v2 context; receipt only for what is committed with the answer.

import { decodeSqmSession } from '../../codecs/sqm-session/codec';
import { sessionRow } from '../../sessions';
import { filetimeFromMs } from '../../wire/filetime';
import { rememberSession } from './conversation';
import { findingFor } from './rules';
import { tokenUseRow } from './store';
import { tokenOf, type V2Work } from './work';
import { sliceOf } from '../../codecs/sqm-v2-message/payload';
import type { RespCmd } from './response';
import { checkToken } from './tokens';
import { argValue, type Arg, type TpxsReq } from '../../codecs/sqm-v2-message/types';

const argsObject = (args: readonly Arg[]): Record<string, string> => Object.fromEntries(args.map((a) => [a.nm, a.val]));

export function uploadSession(w: V2Work, r: TpxsReq): RespCmd {
  const args = r.cmd?.args ?? [];
  // Tokens are issued in lower case; a client that changed the case still means the same token.
  const token = argValue(args, 'token')?.toLowerCase();
  const check = checkToken(token, token ? tokenOf(w, token) : undefined, w.ctx.clock.nowMs());
  const fail = (retrv: 0 | 1, code: string, message: string): RespCmd => {
    if (token) w.rows.push(tokenUseRow(token, r.key, 'error'));
    return { nm: 'error', retrv, code, message };
  };
  if (!check.ok) {
    // An expired token is the client doing nothing wrong; a malformed or unknown one is a violation.
    if (check.retrv === 0) w.findings.push({ ...findingFor('sqm-v2.token', `<req key="${r.key}">: ${check.message}`), protocol: 'sqm-v2' });
    return fail(check.retrv, check.code, check.message);
  }
  if (!w.blob) return fail(0, 'payload', w.blobError ?? 'no payload');
  const slice = sliceOf(args, w.blob, w.taken);
  if (!slice.value) {
    w.findings.push({ ...findingFor('sqm-v2.slice', `<req key="${r.key}">: ${slice.message}`), protocol: 'sqm-v2' });
    return fail(0, 'slice', slice.message!);
  }
  const [offset, size] = slice.value;
  w.taken.push([offset, size]);
  const bytes = w.blob.bytes.subarray(offset, offset + size);
  const partner = r.namespace?.ptr ?? null;
  const decoded = withV2Findings(decodeSqmSession(bytes, { maxRawBytes: w.ctx.engine.maxUploadBytes(partner) }), r.key);
  const error = decoded.findings.find((f) => f.level === 'error');
  const refused = error !== undefined && (w.ctx.engine.strictness === 'strict' || !decoded.value);
  const index = w.sessionCount;
  if (decoded.value) {
    w.sessionCount++;
    w.rows.push(
      sessionRow(decoded.value, {
        index,
        protocolVersion: 2,
        partner,
        accepted: !refused,
        bodyOffset: w.blob.compressed ? 0 : w.xmlEnd + offset,
        bodyLength: size,
        sessionBytes: w.blob.compressed ? Buffer.from(bytes) : undefined,
        context: context(w, r),
      }),
    );
  }
  w.findings.push(...decoded.findings.map((f) => ({ ...f, protocol: 'sqm-v2', sessionIndex: decoded.value ? index : undefined })));
  if (refused) return fail(0, 'invalid-session', `${error.rule} (${error.specRef}): ${error.message}`);
  w.rows.push(tokenUseRow(token!, r.key, 'receipt'));
  if (decoded.value) rememberSession(w, decoded.value.header.manifestVersion);
  return { nm: 'receipt', tm: filetimeFromMs(w.ctx.clock.nowMs()) };
}

/**
 * MS-SQMCS2 3.1.5.3.1: a session in a v2 payload "MUST NOT" be compressed on its own (the client may
 * compress the whole blob): that is this document's rule, not MS-SQMCS's "no decompressor".
 */
function withV2Findings(decoded: ReturnType<typeof decodeSqmSession>, key: string): ReturnType<typeof decodeSqmSession> {
  if (!decoded.value?.compressed) return decoded;
  const own = findingFor('sqm-v2.session-compressed', `<req key="${key}">: the session sets InternalFlags bit 0 (compressed); sessions in a v2 payload are sent uncompressed`, {
    offset: 108,
  });
  return { ...decoded, findings: [own, ...decoded.findings.filter((f) => f.rule !== 'sqm-v1.compression-unavailable')] };
}

function context(w: V2Work, r: TpxsReq) {
  const ns = r.namespace;
  return {
    reqKey: r.key,
    namespace: ns ? { svc: ns.svc, ptr: ns.ptr, gp: ns.gp, app: ns.app, args: argsObject(ns.args) } : null,
    os: argsObject(w.msg.os),
    hw: argsObject(w.msg.hw),
    machineCtrl: argsObject(w.msg.ctrl),
    ctrl: argsObject(r.ctrl),
    contents: argsObject(r.contents),
    cmd: argsObject(r.cmd?.args ?? []),
  };
}
