// CER level 2 (MS-CER2 2.2.3): PUT of a cabinet to a DumpFile path a level-1 answer issued.
// Unknown path → 404, a second upload: the same bytes → 200 again (info), other bytes → 409, over the size limit → 413, a rule's plain answer as
// given (nothing stored); else the cab is stored whole, its files listed with our cabinet reader,
// a corrupt one flagged, and copied to the fileshare (a failed copy: 503, nothing taken, the claim
// released, as when the capture fails).

import { createHash } from 'node:crypto';
import { readCabinetDirectory } from '../../cab';
import type { MockContext } from '../../context';
import { answered, plainAnswer, refusal } from '../../core/answer';
import { UNKNOWN_ROUTE_LIMIT, type ProtocolRoute } from '../../core/module';
import type { Answer, Outcome, WireRequest } from '../../core/types';
import type { FindingRecord } from '../../store';
import type { CerModuleState } from './claims';
import { CONTENT_TYPE } from './answer';
import { CER_PLAIN, fileshareFailed, withHttpVersion } from './level1';
import type { CerReportRow } from './state';
import { withConversation } from './conversation';
import { findingFor, type CerRule } from './rules';
import { level2Row } from './store';
import { withAuth } from './auth-step';
import { fileshareCopyPath, normalizeDumpPath } from './dump-path';
import { removeFileshareCopy, writeFileshare } from './fileshare';
import { withDumpFileForm } from './dumpfile-form';

export const LEVEL2_LIMIT = 100 * 1024 * 1024;
/** The cabinet taken: 200, empty, in CER's content type like every CER answer. */
const EMPTY_200 = (): Answer => ({ status: 200, headers: { 'content-type': CONTENT_TYPE }, body: Buffer.alloc(0) });

export const cerLevel2Route: ProtocolRoute<CerModuleState> = {
  name: 'cer-level2',
  textStyle: CER_PLAIN,
  /** Every PUT that no other protocol claimed: its path may be any DumpFile we issued. */
  claims: (head) => head.method === 'PUT',
  fallback: true,
  bodyLimit: (head, _ctx, state) => {
    const key = normalizeDumpPath(head.url);
    // A PUT to a path never issued is an unknown route's body: kept only up to its limit.
    return key !== null && state.store.reportByDumpKey(key) ? LEVEL2_LIMIT : UNKNOWN_ROUTE_LIMIT;
  },
  handle: (req, ctx, state) =>
    withConversation(
      req,
      ctx,
      state,
      withHttpVersion(
        req,
        withDumpFileForm(
          req,
          state,
          withAuth(req, ctx, state, 'cer-level2', () => handleLevel2(req, ctx, state)),
        ),
      ),
    ),
};

function handleLevel2(req: WireRequest, ctx: MockContext, state: CerModuleState): Outcome {
  const base = { protocol: 'cer-level2' as const, partner: null };
  const refuse = (status: number, rule: CerRule, message: string): Outcome => ({ ...base, ...refusal('cer-level2', status, findingFor(rule, message), { style: CER_PLAIN }) });
  const key = normalizeDumpPath(req.url);
  if (key === null) return refuse(404, 'cer-level2.path', `"${req.url.slice(0, 200)}" is not a path this service issues (traversal, absolute or malformed)`);
  const report = state.store.reportByDumpKey(key);
  if (!report) return refuse(404, 'cer-level2.unknown-path', `no level-1 answer issued the DumpFile ${req.url.slice(0, 200)}`);
  if (req.bodyTruncated) return refuse(413, 'cer-level2.size-limit', `the cabinet is ${req.bodySize} bytes, over the limit of ${LEVEL2_LIMIT}`);
  // The dispatcher hashes only truncated bodies (the store hashes the rest), so this one is ours.
  const sha256 = createHash('sha256').update(req.body).digest('hex');
  const claim = state.claims.claimLevel2(report.id, sha256, report.level2?.sha256 ?? null);
  if (claim === 'different') {
    return refuse(409, 'cer-level2.duplicate', `report ${report.id} already has a level-2 cabinet with other bytes (sha256 ${sha256} is not the one taken)`);
  }
  if (claim === 'same') {
    // A client retrying after a lost 200: the same bytes are answered as the first time, stored once.
    const f = findingFor('cer-level2.resent', `the same cabinet (sha256 ${sha256}) as the one report ${report.id} already has; answered 200 again, not stored twice`);
    return { ...base, answer: EMPTY_200(), findings: [{ ...f, protocol: 'cer-level2' }] };
  }
  try {
    return takeCabinet(req, ctx, state, report, sha256);
  } catch (e) {
    // The dispatcher answers 500: the cabinet was not taken, so the client may send it again.
    state.claims.release(report.id);
    throw e;
  }
}

/** The claim is this PUT's: the rule's plain answer, the fileshare copy failing (503) or the cabinet taken (200). */
function takeCabinet(req: WireRequest, ctx: MockContext, state: CerModuleState, report: CerReportRow, sha256: string): Outcome {
  const base = { protocol: 'cer-level2' as const, partner: null };
  const decision = ctx.engine.decide({ protocol: 'cer-level2', method: req.method, path: req.url, eventType: report.eventType ?? undefined });
  const plain = plainAnswer(decision, CER_PLAIN);
  if (plain) {
    // A plain answer (a 503, say) means the cabinet was not taken: the client may send it again.
    state.claims.release(report.id);
    return { ...base, ...answered(decision, plain, true) };
  }
  let filesharePath: string | null = null;
  try {
    // Named after the DumpFile issued, whatever its form, beside the report's .xml (INTERFACE.md).
    if (report.dumpFile) filesharePath = writeFileshare(ctx.config.fileshare, fileshareCopyPath(report.dumpFile, 'cab'), req.body);
  } catch (e) {
    state.claims.release(report.id);
    return { ...base, ...fileshareFailed('cer-level2', ctx, 'cabinet', e) };
  }
  const undo = (): void => {
    // Nothing of this PUT was stored: its claim and its copy go, and the client's retry is taken anew.
    state.claims.release(report.id);
    if (filesharePath !== null) removeFileshareCopy(ctx.config.fileshare, filesharePath);
  };
  return { ...base, ...answered(decision, EMPTY_200(), true), ...stored(req, report, sha256, filesharePath), onCaptureFailed: undo };
}

/** Takes the cabinet: lists its files, flags a corrupt one; its fileshare copy is made. */
function stored(req: WireRequest, report: CerReportRow, sha256: string, filesharePath: string | null): Pick<Outcome, 'findings' | 'rows'> {
  const dir = readCabinetDirectory(req.body);
  const findings: FindingRecord[] = dir.findings.map((f) => ({ ...f, protocol: 'cer-level2', level: f.level === 'error' ? 'warning' : f.level }));
  const files = dir.value?.files.map((f) => ({ name: f.name, size: f.size })) ?? [];
  if (!dir.value) findings.push({ ...findingFor('cer-level2.corrupt', 'the upload is not a readable cabinet; stored and flagged'), protocol: 'cer-level2' });
  findings.push(...missingFiles(report, files));
  return {
    findings,
    rows: [level2Row({ reportId: report.id, size: req.body.length, sha256, files, corrupt: !dir.value, filesharePath })],
  };
}

/** MS-CER2 3.1.5: files asked for with GetFile that the client could not include (it still reports). */
function missingFiles(report: CerReportRow, files: { name: string }[]): FindingRecord[] {
  const asked = (report.instructions as { getFile?: string[] }).getFile ?? [];
  const have = new Set(files.map((f) => f.name.split(/[\\/]/).pop()!.toLowerCase()));
  return asked
    .filter((p) => !have.has(p.split(/[\\/]/).pop()!.toLowerCase()))
    .map((p) => ({ ...findingFor('cer-level2.missing-file', `GetFile asked for ${p}; the cabinet has no such file`), protocol: 'cer-level2' }));
}
