// The scenario engine: given plain request facts, picks the first matching rule, counts it, steps
// its sequence and draws its chances from a seeded stream per rule (repeatable across runs).

import { Clock } from './clock';
import { whenMatches } from './match';
import { deriveSeed, mulberry32, type Rng } from './rng';
import { z } from 'zod';
import type { Decision, Delivery, PartnerSpec, RequestFacts, RespondSpec, ScenarioCore, Strictness } from './types';

/** For engines made without a server's modules (unit tests): takes any document as it is. */
const ANY_SCENARIO = z.custom<ScenarioCore>((v) => typeof v === 'object' && v !== null);

export const DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024; // MS-SQMCS2 note <37>

export class ScenarioEngine {
  private counters: number[] = [];
  private rngs: Rng[] = [];
  /** Tokens issued by this engine: never reset, so a token is never issued twice by one server. */
  private tokenCount = 0;

  /**
   * @param current the running scenario
   * @param schema the scenario schema of the server's modules (validates replacements from files and the admin API)
   */
  constructor(
    private current: ScenarioCore = {},
    readonly schema: z.ZodType<ScenarioCore> = ANY_SCENARIO,
    readonly clock: Clock = new Clock(),
  ) {
    this.resetCounters();
    this.applyClock();
  }

  /** A scenario's `clock.start` sets the mock's clock when the scenario is loaded (INTERFACE.md section 5). */
  private applyClock(): void {
    const start = this.current.clock?.start;
    if (start !== undefined) this.clock.set(new Date(start));
  }

  get scenario(): ScenarioCore {
    return this.current;
  }
  get strictness(): Strictness {
    return this.current.strictness ?? 'strict';
  }

  replace(next: ScenarioCore): void {
    this.current = next;
    this.resetCounters();
    this.applyClock();
  }

  /** Counters back to 0 and every rule's random stream back to its start (same seed, same draws). */
  resetCounters(): void {
    const rules = this.current.rules ?? [];
    const seed = this.current.seed ?? 0;
    this.counters = rules.map(() => 0);
    this.rngs = rules.map((_, i) => mulberry32(deriveSeed(seed, i)));
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

  /** 32 hex digits from the scenario's seeded stream (SQM v2 tokens): repeatable run after run. */
  nextTokenHex(): string {
    const rng = mulberry32(deriveSeed(this.current.seed ?? 0, 0x70c30000 + this.tokenCount++));
    let out = '';
    for (let i = 0; i < 4; i++)
      out += Math.floor(rng() * 2 ** 32)
        .toString(16)
        .padStart(8, '0');
    return out;
  }

  /**
   * The first rule that matches, is not used up, and wins its `probability` draw answers. Counters
   * and draws change here, synchronously, so concurrent requests never share one use of a rule.
   */
  decide(facts: RequestFacts): Decision {
    const rules = this.current.rules ?? [];
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      if (!whenMatches(rule.when, facts)) continue;
      if (rule.times !== undefined && this.counters[i] >= rule.times) continue;
      if (rule.probability !== undefined && this.rngs[i]() >= rule.probability) continue;
      const step = this.counters[i]++;
      const respond = Array.isArray(rule.respond) ? rule.respond[Math.min(step, rule.respond.length - 1)] : (rule.respond ?? null);
      return { ruleName: rule.name ?? `rules[${i}]`, respond, delivery: this.delivery(i, respond) };
    }
    return { ruleName: null, respond: null, delivery: { delayMs: 0, faultSeed: 0 } };
  }

  private delivery(i: number, r: RespondSpec | null): Delivery {
    const rng = this.rngs[i];
    const jitter = r?.jitterMs ? Math.floor(rng() * (r.jitterMs + 1)) : 0;
    return { delayMs: (r?.delayMs ?? 0) + jitter, fault: r?.fault, faultSeed: r?.fault === 'garbage' ? Math.floor(rng() * 2 ** 32) : 0 };
  }
}
