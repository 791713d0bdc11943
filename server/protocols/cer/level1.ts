// CER level 1 (MS-CER2 2.2.1, 2.2.2, 3.2.5): POST /stage2.htm with a WERREPORT. Checks it, gives
// its signature a stable bucket, answers with the scenario's instructions (default: iData=1 and
// a DumpFile, so the client runs level 2), and copies the report to the fileshare.

import type { MockContext } from '../../context';
import { answered, ownPart, plainAnswer, refusal, type PlainStyle } from '../../core/answer';
import type { ProtocolRoute } from '../../core/module';
import type { Outcome, WireRequest } from '../../core/types';
import { textAnswer } from '../../core/types';
import type { FindingRecord } from '../../store';
import { buildLevel1Answer, CONTENT_TYPE, encodeWindows1252 } from './answer';
import type { CerModuleState } from './claims';
import { withConversation } from './conversation';
import { findingFor } from './rules';
import type { CerRespond, CerScenario } from './schema';
import { bucketHitRow, reportRow } from './store';
import { withAuth } from './auth-step';
import { fileshareRelPath, issueDumpPath, normalizeDumpPath } from './dump-path';
import { writeFileshare } from './fileshare';
import { signatureKey } from './signature';
import type { CerInstructions, WerReport } from './types';
import { decodeWerReport } from './werreport';

export const LEVEL1_PATH = /^\/stage2\.htm$/i;
const LEVEL1_LIMIT = 4 * 1024 * 1024;

export const cerLevel1Route: ProtocolRoute<CerModuleState> = {
  name: 'cer',
  claims: (head) => LEVEL1_PATH.test(head.pathname),
  bodyLimit: () => LEVEL1_LIMIT,
  handle: (req, ctx, state) =>
    withConversation(
      req,
      ctx,
      state,
      withAuth(req, ctx, state, 'cer', () => handleLevel1(req, ctx, state)),
    ),
};

/** Every CER answer, plain ones included, is text/plain in windows-1252 (INTERFACE.md, CER decisions). */
export const CER_PLAIN: PlainStyle = { key: 'cer', contentType: CONTENT_TYPE, encode: encodeWindows1252 };

export const cerScenario = (ctx: MockContext): CerScenario => (ctx.engine.scenario.cer as CerScenario | undefined) ?? {};

const tag = (fs: { rule: string; specRef: string; message: string; level: FindingRecord['level']; offset?: number }[]): FindingRecord[] =>
  fs.map((f) => ({ ...f, protocol: 'cer' }));

function handleLevel1(req: WireRequest, ctx: MockContext, state: CerModuleState): Outcome {
  const base = { protocol: 'cer' as const, partner: null };
  if (req.method !== 'POST') {
    const f = findingFor('cer.method', `level-1 report sent with ${req.method}`);
    return { ...base, ...refusal('cer', 405, f, { text: `cer.method (${f.specRef}): level-1 reports are sent with POST, got ${req.method}`, headers: { allow: 'POST' } }) };
  }
  if (req.bodyTruncated) {
    const f = findingFor('cer.size-limit', `report of ${req.bodySize} bytes is over ${LEVEL1_LIMIT}`);
    return { ...base, ...refusal('cer', 413, f, { text: `cer.size-limit: the report is ${req.bodySize} bytes, over ${LEVEL1_LIMIT}` }) };
  }
  const decoded = decodeWerReport(req.body);
  const findings = tag(decoded.findings);
  const report = decoded.value;
  const error = decoded.findings.find((f) => f.level === 'error');
  const decision = ctx.engine.decide({
    protocol: 'cer',
    method: req.method,
    path: req.url,
    eventType: report?.eventInfo?.eventtype,
    appName: report?.applicationInfo?.appname,
  });
  const plain = plainAnswer(decision, CER_PLAIN);
  if (plain) return { ...base, ...answered(decision, plain, true), findings };
  if (!report || (error && ctx.engine.strictness === 'strict')) {
    const why = error ? `${error.rule} (${error.specRef}): ${error.message}` : 'the report could not be read';
    return { ...base, ...answered(decision, textAnswer(400, why), false), findings };
  }
  const answer = answerReport(ctx, state, req, report, ownPart<CerRespond>(decision, 'cer'));
  return { ...base, ...answered(decision, answer.answer, true), findings: [...findings, ...answer.findings], rows: answer.rows };
}

function answerReport(
  ctx: MockContext,
  state: CerModuleState,
  req: WireRequest,
  report: WerReport,
  rule: CerRespond | undefined,
): Required<Pick<Outcome, 'answer' | 'findings' | 'rows'>> {
  const cer = cerScenario(ctx);
  const eventType = report.eventInfo?.eventtype ?? '';
  const key = signatureKey(report);
  const choice = state.claims.assignBucket(key, { firstBucket: cer.firstBucket ?? 100, bucketTable: cer.bucketTable ?? 10 });
  const bucket = rule?.bucket ?? choice.bucket;
  const instructions: CerInstructions = { bucket, bucketTable: rule?.bucketTable ?? choice.bucketTable, iData: 1, ...rule };
  const issued = issueDump(ctx, state, instructions, { eventType, bucket });
  const uuid = issued.uuid;
  const built = buildLevel1Answer(instructions);
  let filesharePath: string | null = null;
  try {
    filesharePath = writeFileshare(ctx.config.fileshare, fileshareRelPath({ eventType, bucket, uuid, ext: 'xml' }), req.body);
  } catch (e) {
    ctx.log.warn(`fileshare copy of a level-1 report failed: ${(e as Error).message}`);
  }
  return {
    answer: { status: 200, headers: { 'content-type': CONTENT_TYPE }, body: built.body },
    findings: [...tag(built.findings), ...issued.findings],
    rows: [
      bucketHitRow({ signatureKey: key, bucket: choice.bucket, bucketTable: choice.bucketTable, eventType }),
      reportRow({
        accepted: true,
        eventType,
        reportType: report.eventInfo?.reporttype ?? null,
        bucket,
        bucketTable: instructions.bucketTable ?? null,
        signatureKey: key,
        report,
        instructions,
        dumpFile: instructions.dumpFile ?? null,
        dumpKey: issued.dumpKey,
        filesharePath,
      }),
    ],
  };
}

/**
 * Sets the default DumpFile (iData=1 and none given) and returns the report's level-2 lookup key.
 * Keys are unique in the store: the seeded uuid is drawn again when a report already has the path
 * (the stream restarts with the process and with each scenario, so a restart on the same --db
 * repeats it), and a path a rule fixes (`cer.dumpFile`) belongs to the first report it was issued to.
 */
function issueDump(
  ctx: MockContext,
  state: CerModuleState,
  i: CerInstructions,
  p: { eventType: string; bucket: number },
): { uuid: string; dumpKey: string | null; findings: FindingRecord[] } {
  let uuid = uuidFrom(ctx.engine.nextTokenHex());
  if (i.iData === 1 && !i.dumpFile) {
    for (;;) {
      const dumpFile = issueDumpPath({ ...p, uuid });
      const dumpKey = normalizeDumpPath(dumpFile)!;
      if (state.claims.claimDumpKey(dumpKey)) {
        i.dumpFile = dumpFile;
        return { uuid, dumpKey, findings: [] };
      }
      uuid = uuidFrom(ctx.engine.nextTokenHex());
    }
  }
  const key = i.dumpFile ? normalizeDumpPath(i.dumpFile) : null;
  if (key === null || state.claims.claimDumpKey(key)) return { uuid, dumpKey: key, findings: [] };
  return {
    uuid,
    dumpKey: null,
    findings: tag([findingFor('cer.dump-file-reused', `DumpFile ${i.dumpFile} was issued to an earlier report; a level-2 PUT to it is matched to that report`)]),
  };
}

/** 32 hex digits (seeded) as a version-4-shaped UUID. */
const uuidFrom = (h: string): string =>
  `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
