// "Did you mean …?" for a mistyped name (a scenario key, a flag, a query parameter): the closest
// known name by Levenshtein distance, when it is close enough to be what was meant.

import { distance } from 'fastest-levenshtein';

/** The known name closest to `word` (case ignored), or undefined when none is within a third of its length, rounded up (at most 3 edits: `prot` → `port` is 2). */
export function closest(word: string, known: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const allowed = Math.min(3, Math.max(1, Math.ceil(w.length / 3)));
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = distance(w, name.toLowerCase());
    if (d <= allowed && (best === undefined || d < best.d)) best = { name, d };
  }
  return best?.name;
}

/**
 * ` (did you mean "respond"?)` when a known name is close to `word`, else ''.
 * @example `unknown key "respnd"${didYouMean('respnd', ['when', 'respond'])}` // unknown key "respnd" (did you mean "respond"?)
 */
export function didYouMean(word: string, known: readonly string[], prefix = ''): string {
  const c = closest(word, known);
  return c === undefined ? '' : ` (did you mean "${prefix}${c}"?)`;
}

/**
 * node:util parseArgs's error as one line; an unknown flag with the closest known one.
 * @example parseArgsProblem(e, ['port', 'host']) // 'unknown flag --prot (did you mean "--port"?)'
 */
export function parseArgsProblem(e: unknown, flags: readonly string[]): string {
  const message = (e as Error).message ?? String(e);
  const unknown = /^Unknown option '(-{1,2})([^']+)'/.exec(message);
  if (!unknown) return message.split('\n')[0];
  return `unknown flag ${unknown[1]}${unknown[2]}${didYouMean(unknown[2], flags, '--')}`;
}
