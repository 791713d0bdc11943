// CER across requests (INTERFACE.md section 5, MS-CER2 3.1.5): a level-2 cabinet is judged against
// the level-1 answer that issued its DumpFile and the report it belongs to; a level-1 answer sets up
// the cabinet it expects, and a 401 the next authentication leg. Plain facts in, findings and rows out.

import { conversationFinding, setupRow, type Setup } from '../../conversation';
import type { CaptureRow, FindingRecord } from '../../store';
import { findingFor, type CerRule } from './rules';
import type { CerReportRow } from './state';

export interface CerFacts {
  clientKey: string;
  nowMs: number;
}

const base = (f: CerFacts) => ({ clientKey: f.clientKey, protocol: 'cer', at: new Date(f.nowMs) });
const v = (f: CerFacts, rule: CerRule, message: string, requestId: number | null): FindingRecord =>
  conversationFinding('cer', f.clientKey, findingFor(rule, message), requestId === null ? null : { requestId });
const baseName = (p: string): string => p.split(/[\\/]/).pop()!.toLowerCase();

/** What a level-1 answer sets up: the report (its iData), and with iData=1 and a DumpFile the cabinet it expects. */
export function setupsOfLevel1(f: CerFacts, a: { iData: number | undefined; dumpFile: string | null; dumpKey: string | null }): CaptureRow[] {
  const expects = a.iData === 1 && a.dumpKey !== null;
  const { specRef } = findingFor('cer.level2-missing', '');
  return [
    setupRow({
      ...base(f),
      kind: 'report',
      ref: a.dumpKey ?? undefined,
      data: { iData: a.iData ?? 0 },
      expectation: expects ? { rule: 'cer.level2-missing', specRef, message: `iData=1 and DumpFile ${a.dumpFile} were issued; no cabinet was uploaded` } : undefined,
    }),
  ];
}

/** A 401 challenge: the client's next leg is expected. */
export function setupOfChallenge(f: CerFacts, scheme: string): CaptureRow {
  const { specRef } = findingFor('cer.auth-incomplete', '');
  return setupRow({
    ...base(f),
    kind: 'auth',
    data: { scheme },
    expectation: { rule: 'cer.auth-incomplete', specRef, message: `a 401 offering ${scheme} was not followed by the client's next leg (a request with Authorization)` },
  });
}

/** A cabinet PUT to a DumpFile: issued in an answer that did not ask for it? */
export function judgeUnrequested(f: CerFacts, report: Pick<CerReportRow, 'requestId' | 'instructions'>): FindingRecord[] {
  const iData = (report.instructions as { iData?: number }).iData;
  return iData === 1
    ? []
    : [v(f, 'cer.level2-unrequested', `a cabinet for the report of request ${report.requestId}, whose answer said iData=${iData ?? 0} (no data asked for)`, report.requestId)];
}

/** A cabinet PUT to a path never issued, from a client that holds reports answered without iData=1. */
export function judgeUnissued(f: CerFacts, path: string, notAsked: Setup[]): FindingRecord[] {
  const s = notAsked[notAsked.length - 1];
  return s
    ? [v(f, 'cer.level2-unrequested', `a cabinet PUT to ${path.slice(0, 200)}, never issued; request ${s.requestId}'s answer asked for no data (iData=0)`, s.requestId)]
    : [];
}

/** What the cabinet lacks: files of the client's own FILES list (warning), what instructions asked for (info). */
export function judgeContents(f: CerFacts, report: Pick<CerReportRow, 'requestId' | 'report' | 'instructions'>, files: readonly { name: string }[]): FindingRecord[] {
  const have = new Set(files.map((x) => baseName(x.name)));
  const out: FindingRecord[] = [];
  for (const file of ((report.report as { files?: { filename: string }[] }).files ?? []).map((x) => x.filename)) {
    if (!have.has(baseName(file)))
      out.push(v(f, 'cer.cab-contents', `the cabinet lacks ${file}, named in the FILES of the client's own report (request ${report.requestId})`, report.requestId));
  }
  const i = report.instructions as { memoryDump?: number; regKey?: string[]; regTree?: string[]; getFile?: string[] };
  const names = [...have];
  const asked: [boolean, string][] = [
    [i.memoryDump === 1 && !names.some((n) => n.endsWith('.mdmp') || n.endsWith('.dmp')), 'a memory dump (.mdmp), asked for with MemoryDump=1'],
    [(i.regKey?.length ?? 0) + (i.regTree?.length ?? 0) > 0 && !names.some((n) => n.endsWith('.reg')), 'a registry export (.reg), asked for with RegKey/RegTree'],
    ...(i.getFile ?? []).map((p): [boolean, string] => [!have.has(baseName(p)), `${p}, asked for with GetFile`]),
  ];
  for (const [missing, what] of asked)
    if (missing) out.push(v(f, 'cer.cab-requested-missing', `the cabinet lacks ${what} by request ${report.requestId}'s answer`, report.requestId));
  return out;
}
