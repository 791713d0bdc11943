// Does a rule's `when` match the request facts? Every key given must match; a key the request
// does not have (e.g. `eventType` on an SQM upload) does not match.

import { globMatches } from './glob';
import type { RequestFacts, WhenSpec } from './types';

export function whenMatches(w: WhenSpec | undefined, f: RequestFacts): boolean {
  if (!w) return true;
  if (w.protocol !== undefined && w.protocol !== f.protocol) return false;
  if (w.partner !== undefined && w.partner !== f.partner) return false;
  if (w.method !== undefined && w.method.toUpperCase() !== f.method.toUpperCase()) return false;
  if (w.path !== undefined && !pathMatches(w.path, f.path)) return false;
  if (w.command !== undefined && w.command !== f.command) return false;
  if (w.mid !== undefined && (!f.mid || normalizeMid(w.mid) !== normalizeMid(f.mid))) return false;
  if (w.eventType !== undefined && !sameText(w.eventType, f.eventType)) return false;
  if (w.appName !== undefined && !sameText(w.appName, f.appName)) return false;
  if (w.namespace !== undefined) {
    for (const k of ['svc', 'ptr', 'gp', 'app'] as const) {
      if (w.namespace[k] !== undefined && w.namespace[k] !== f.namespace?.[k]) return false;
    }
  }
  return true;
}

const sameText = (a: string, b: string | undefined): boolean => b !== undefined && a.toLowerCase() === b.toLowerCase();
export const normalizeMid = (m: string): string => m.replace(/[{}]/g, '').toUpperCase();

/** `path` matches the request path without its query, case-insensitively; `*` matches any run of characters. */
export function pathMatches(pattern: string, path: string): boolean {
  return globMatches(pattern, path.split('?')[0]);
}
