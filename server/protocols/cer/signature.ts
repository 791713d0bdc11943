// The error signature of a level-1 report (MS-CER2 2.2.1.3 SIGNATURE), as the key the bucket
// store uses (INTERFACE.md "Decisions on CER"): same signature → same key, different → different.

import type { WerParameter, WerReport, WerSecondaryParameter } from './types';

const DECIMAL = /^[0-9]+$/;
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A total order on ids, so the document's order never matters: decimal ids first, by value
 * ("2" < "10", exact at any length), then the others by text; ties by id text, then value.
 */
function byId(a: WerParameter, b: WerParameter): number {
  const da = DECIMAL.test(a.id);
  const db = DECIMAL.test(b.id);
  if (da !== db) return da ? -1 : 1;
  if (da) {
    const na = a.id.replace(/^0+(?=.)/, '');
    const nb = b.id.replace(/^0+(?=.)/, '');
    const d = na.length - nb.length || cmp(na, nb);
    if (d !== 0) return d;
  }
  return cmp(a.id, b.id) || cmp(a.value, b.value);
}

const byName = (a: WerSecondaryParameter, b: WerSecondaryParameter): number => cmp(a.name, b.name) || cmp(a.value, b.value);

/**
 * The bucket key of a report: its event type plus the PARAMETER (id, value) pairs in id order, or,
 * when there are no PARAMETERs, the SECONDARYPARAMETER (name, value) pairs (sorted by name, so the
 * document's order never matters). PARAMETER names are not part of it. Values are compared as sent
 * (case-sensitive). The key is JSON, so no value can imitate a separator.
 *
 * @example
 * signatureKey(report) // '["APPCRASH",["p","0","GPFMe.exe"],["p","1","6.0.4082.0"]]'
 */
export function signatureKey(report: WerReport): string {
  const eventType = report.eventInfo?.eventtype ?? null;
  const items: Array<[string, string, string]> =
    report.parameters.length > 0
      ? [...report.parameters].sort(byId).map((p) => ['p', p.id, p.value])
      : [...report.secondaryParameters].sort(byName).map((s) => ['s', s.name, s.value]);
  return JSON.stringify([eventType, ...items]);
}
