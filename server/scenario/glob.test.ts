// The `when.path` wildcard matcher: the old regex's answers on a table and on random cases, and no
// blow-up on the ReDoS (a path of 3,000 slashes against four stars took 3.45 s).

import { globMatches } from './glob';
import { pathMatches } from './match';
import { mulberry32 } from './rng';

/** The matcher before: `*` → `.*` in an anchored, case-insensitive regex (cubic on the ReDoS case). */
function oldRegexMatches(pattern: string, text: string): boolean {
  const body = pattern
    .split('*')
    .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i').test(text);
}

describe('globMatches', () => {
  it.each<[string, string, boolean]>([
    ['/sqm/*/sqmserver.dll', '/sqm/windows/sqmserver.dll', true],
    ['/sqm/*/sqmserver.dll', '/SQM/Windows/SqmServer.DLL', true],
    ['/sqm/*/sqmserver.dll', '/sqm/a/b/sqmserver.dll', true],
    ['/sqm/*/sqmserver.dll', '/sqm/sqmserver.dll', false],
    ['/sqm/*/sqmserver.dll', '/sqm//sqmserver.dll', true],
    ['/sqm/*/sqmserver.dll', '/sqm/windows/sqmserver.dllx', false],
    ['*', '', true],
    ['', '', true],
    ['', '/', false],
    ['**', '/x', true],
    ['/a*b*c', '/abc', true],
    ['/a*b*c', '/aXbYc', true],
    ['/a*b*c', '/acb', false],
    ['/a*', '/a', true],
    ['*.cab', '/PersistedCabs/APPCRASH/100/x.CAB', true],
    ['/x.y', '/xzy', false],
    ['/a+b', '/a+b', true],
    ['/(a)', '/(a)', true],
  ])('%s against %s → %s', (pattern, text, expected) => {
    expect(globMatches(pattern, text)).toBe(expected);
    expect(oldRegexMatches(pattern, text)).toBe(expected);
  });

  it('agrees with the old regex on 5,000 random patterns and paths', () => {
    const rand = mulberry32(13);
    const pick = (alphabet: string, max: number) => Array.from({ length: Math.floor(rand() * max) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
    for (let i = 0; i < 5_000; i++) {
      const pattern = pick('ab/*.A', 8);
      const text = pick('abB/.', 12);
      if (globMatches(pattern, text) !== oldRegexMatches(pattern, text)) throw new Error(`disagree on ${JSON.stringify(pattern)} vs ${JSON.stringify(text)}`);
    }
  });

  it.each<[string, string]>([
    ['the issue’s four stars against 3,000 slashes', '/'.repeat(3000)],
    ['four stars against 100,000 slashes', '/'.repeat(100_000)],
    ['a near-miss of 3,000 /sqm/ segments', '/sqm'.repeat(3000) + '/sqmserver.dl'],
  ])('%s: under 50 ms (was cubic)', (_name, path) => {
    const started = performance.now();
    expect(pathMatches('/sqm/*/*/*/sqmserver.dll', path)).toBe(false);
    expect(performance.now() - started).toBeLessThan(50);
  });
});
