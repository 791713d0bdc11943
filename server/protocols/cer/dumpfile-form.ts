// The form of a level-2 PUT's target next to the DumpFile it matched (MS-CER2 2.2.2: DumpFile is
// "the level 2 destination url-path"; 4.1 step 8 PUTs `\\PersistedCabs\…` for an issued
// `\PersistedCabs\…`). Any form that matches is accepted (INTERFACE.md section 2); a form other
// than the one issued is the info finding `cer.dumpfile-form`, naming each difference.

import type { Outcome, WireRequest } from '../../core/types';
import type { CerModuleState } from './claims';
import { normalizeDumpPath } from './dump-path';
import { findingFor } from './rules';

const leadOf = (s: string): string => /^[\\/]*/.exec(s)![0];
const sepsOf = (s: string): string[] => s.match(/[\\/]+/g) ?? [];

function decodedOnce(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Separators between segments: which characters, and whether runs of them were repeated. */
function separatorDifference(sent: string[], issued: string[]): string | null {
  if (sent.join('') === issued.join('')) return null;
  const chars = (runs: string[]) => [...new Set(runs.join(''))].sort().join('');
  if (chars(sent) !== chars(issued)) return `separators "${chars(sent)}" for "${chars(issued)}"`;
  return 'repeated separators';
}

/**
 * What sets `target` (the PUT's request-target as sent) apart from `issued` (the DumpFile), when
 * both normalize to the same path (dump-path.ts); empty when the target is the DumpFile as issued.
 * `url` is the target's origin-form (it differs from the target only for an absolute-form one).
 *
 * @example
 * formDifferences('\\\\PersistedCabs\\x.cab', '\\\\PersistedCabs\\x.cab', '\\PersistedCabs\\x.cab') // ['leading "\\\\" for "\\"']
 */
export function formDifferences(target: string, url: string, issued: string): string[] {
  if (target === issued) return [];
  const out: string[] = [];
  if (target !== url && target.endsWith(url)) out.push(`absolute form ("${target.slice(0, target.length - url.length)}" before the path, RFC 7230 5.3.2)`);
  let rest = url;
  const q = rest.indexOf('?');
  if (q >= 0) {
    out.push(`a query "${rest.slice(q)}"`);
    rest = rest.slice(0, q);
  }
  if (/%[0-9A-Fa-f]{2}/.test(rest)) {
    out.push('percent-encoded');
    rest = decodedOnce(rest);
  }
  const [lead, issuedLead] = [leadOf(rest), leadOf(issued)];
  if (lead !== issuedLead) out.push(lead === '' ? `no leading "${issuedLead}"` : `leading "${lead}" for "${issuedLead || 'nothing'}"`);
  const [body, issuedBody] = [rest.slice(lead.length), issued.slice(issuedLead.length)];
  const seps = separatorDifference(sepsOf(body), sepsOf(issuedBody));
  if (seps) out.push(seps);
  const words = (s: string) => s.split(/[\\/]+/).join('/');
  if (words(body) !== words(issuedBody)) out.push(words(body).toLowerCase() === words(issuedBody).toLowerCase() ? 'letter case' : 'other characters');
  return out;
}

/**
 * Adds `cer.dumpfile-form` to a level-2 outcome whose target matched an issued DumpFile in another
 * form. A challenge (401) or a refused path (404) is left as it is: the path was not matched.
 */
export function withDumpFileForm(req: WireRequest, state: CerModuleState, o: Outcome): Outcome {
  if (o.answer.status === 401 || o.answer.status === 404) return o;
  const key = normalizeDumpPath(req.url);
  const issued = key === null ? null : (state.store.reportByDumpKey(key)?.dumpFile ?? null);
  if (issued === null) return o;
  const diff = formDifferences(req.target, req.url, issued);
  if (diff.length === 0) return o;
  const message = `the PUT target "${req.target.slice(0, 300)}" is the issued DumpFile "${issued.slice(0, 300)}" in another form: ${diff.join('; ')}; accepted`;
  return { ...o, findings: [...(o.findings ?? []), { ...findingFor('cer.dumpfile-form', message), protocol: 'cer-level2' }] };
}
