// The reference client's CER and CEIP flows: a level-1 WERREPORT (MS-CER2 3.1.5), then the level-2
// PUT of a cabinet to the DumpFile it was issued, sent as issued; a CEIP redirect POST (MS-CCEIP).

import { buildCabinet } from '../cab/write';
import { isAbsoluteUri, parseLevel1Answer } from '../protocols/cer/answer';
import { decodeWerReport } from '../protocols/cer/werreport';
import { ok, statusOf, step, wrong, type Outcome, type SendContext } from './step';

/** The cabinet a client would make: each file the report's FILES lists (a placeholder content), else one text file. */
export function cabinetFor(report: Buffer): Buffer {
  const names = decodeWerReport(report).value?.files.map((f) => f.filename) ?? [];
  const files = (names.length ? names : ['report.txt']).map((name) => ({ name, data: Buffer.from(`sqm-cer-mock send: ${name}\r\n`, 'latin1') }));
  return buildCabinet(files);
}

/** The level-2 request-target: an absolute DumpFile as it is, a path as issued (a leading "/" added when it has no separator first). */
const level2Target = (dumpFile: string) => (isAbsoluteUri(dumpFile) || /^[\\/]/.test(dumpFile) ? dumpFile : `/${dumpFile}`);

/** CER: level 1, then (iData=1) level 2 with `cab` or a cabinet of the files the report lists. */
export async function sendCer(ctx: SendContext, report: Buffer, cab?: Buffer): Promise<Outcome> {
  const r = await step(ctx, { method: 'POST', target: '/stage2.htm', body: report, what: 'CER level-1 WERREPORT' });
  if (r.status === 401) return wrong('an answer without authentication (send does not authenticate)', `401 asking for ${String(r.headers['www-authenticate'] ?? 'nothing')}`);
  if (r.status !== 200) return wrong('200 and a level-1 answer (MS-CER2 3.1.5)', statusOf(r));
  const answer = parseLevel1Answer(r.body.toString('latin1'));
  if (Object.keys(answer).length === 0) return wrong('Key=Value lines (MS-CER2 2.2.2)', r.body.length ? 'none' : 'an empty body');
  const bucket = answer.Bucket === undefined ? 'no bucket' : `bucket ${answer.Bucket}`;
  if (answer.iData !== '1') return ok(`report taken (${bucket}; no level 2 asked for)`);
  if (!answer.DumpFile) return wrong('a DumpFile with iData=1 (MS-CER2 2.2.2)', 'none');
  const body = cab ?? cabinetFor(report);
  const put = await step(ctx, { method: 'PUT', target: level2Target(answer.DumpFile), body, what: 'CER level-2 cabinet' });
  if (put.status === 200 || put.status === 201) return ok(`report taken (${bucket}), cabinet uploaded to ${answer.DumpFile}`);
  return wrong('200 for the level-2 PUT (MS-CER2 3.1.5)', statusOf(put));
}

/** CEIP: POST /?partner=<service> with the data; a 2xx is the redirect server's success (MS-CCEIP 3.1.5). */
export async function sendCeip(ctx: SendContext, body: Buffer, service: string): Promise<Outcome> {
  const r = await step(ctx, { method: 'POST', target: `/?partner=${encodeURIComponent(service)}`, body, what: `CEIP data for ${service}` });
  if (r.status >= 200 && r.status < 300) return ok(`data taken for ${service} (${statusOf(r)})`);
  return wrong('a 2xx (MS-CCEIP 3.1.5)', statusOf(r));
}
