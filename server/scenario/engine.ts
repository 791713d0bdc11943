// The scenario engine: given plain request facts, picks the first matching rule and counts it.
// Counters are updated synchronously in decide(), so concurrent requests never double-use a rule.

import type { Decision, PartnerSpec, RequestFacts, RuleSpec, Scenario, Strictness } from './types';

export const DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024; // MS-SQMCS2 note <37>

export class ScenarioEngine {
  private counters: number[] = [];

  constructor(private current: Scenario = {}) {
    this.resetCounters();
  }

  get scenario(): Scenario {
    return this.current;
  }
  get strictness(): Strictness {
    return this.current.strictness ?? 'strict';
  }

  replace(next: Scenario): void {
    this.current = next;
    this.resetCounters();
  }

  resetCounters(): void {
    this.counters = (this.current.rules ?? []).map(() => 0);
  }

  /** When the scenario lists partners, only those are known; otherwise every partner is. */
  knowsPartner(name: string): boolean {
    const partners = this.current.partners;
    return !partners || Object.prototype.hasOwnProperty.call(partners, name);
  }

  partner(name: string | null | undefined): PartnerSpec | undefined {
    // Only listed partners: `constructor`, `__proto__` etc. must not resolve to Object's members.
    if (!name || !this.current.partners || !Object.prototype.hasOwnProperty.call(this.current.partners, name)) return undefined;
    return this.current.partners[name] ?? undefined;
  }

  maxUploadBytes(partner: string | null | undefined): number {
    return this.partner(partner)?.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  }

  decide(facts: RequestFacts): Decision {
    const rules = this.current.rules ?? [];
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      if (!matches(rule, facts)) continue;
      if (rule.times !== undefined && this.counters[i] >= rule.times) continue;
      this.counters[i]++;
      return { ruleName: rule.name ?? `rules[${i}]`, respond: rule.respond ?? null };
    }
    return { ruleName: null, respond: null };
  }
}

function matches(rule: RuleSpec, f: RequestFacts): boolean {
  const w = rule.when;
  if (!w) return true;
  if (w.protocol !== undefined && w.protocol !== f.protocol) return false;
  if (w.partner !== undefined && w.partner !== f.partner) return false;
  if (w.method !== undefined && w.method.toUpperCase() !== f.method.toUpperCase()) return false;
  if (w.path !== undefined && !pathMatches(w.path, f.path)) return false;
  return true;
}

/** `path` matches the request path without its query, case-insensitively; `*` matches any run of characters. */
function pathMatches(pattern: string, path: string): boolean {
  const bare = path.split('?')[0];
  if (!pattern.includes('*')) return pattern.toLowerCase() === bare.toLowerCase();
  const re = new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$', 'i');
  return re.test(bare);
}
