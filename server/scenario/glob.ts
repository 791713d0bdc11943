// The `when.path` wildcard: `*` matches any run of characters (`/` included), everything else
// itself, case-insensitively. A two-pointer matcher that backtracks to the last `*` only:
// O(pattern × path) at worst, never the exponential or cubic blow-up of a backtracking regex.

/** Does `text` match `pattern` as a whole? Both are compared lower-cased. */
export function globMatches(pattern: string, text: string): boolean {
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  let pi = 0;
  let ti = 0;
  // Where the last `*` was, and the text position it currently stands for the end of.
  let star = -1;
  let resume = 0;
  while (ti < t.length) {
    if (pi < p.length && p[pi] === '*') {
      star = pi++;
      resume = ti;
    } else if (pi < p.length && p[pi] === t[ti]) {
      pi++;
      ti++;
    } else if (star >= 0) {
      // Let the last `*` take one more character; earlier stars never need to change (any
      // run the later pattern matches can be shifted right under the last star).
      pi = star + 1;
      ti = ++resume;
    } else return false;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}
