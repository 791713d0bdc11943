// The one fuzz harness of the decoders (STYLE.md: decoding never throws): seeded mutations of seed
// inputs (flip, u32, truncate, insert, remove, duplicate, splice) are decoded and checked; a failure
// names the seed, the run, the input and each mutation, and `only` replays that one run.

import { deriveSeed, mulberry32, type Rng } from '../../server/scenario/rng';
import type { Finding } from '../../server/wire/findings';

/** One change to the bytes, and a few words saying what it was (for the failure message). */
export type Mutator = (b: Buffer, rnd: Rng) => { bytes: Buffer; what: string };

const pick = (rnd: Rng, n: number): number => Math.floor(rnd() * n);

/** `n` random bytes. */
export const randomBytes = (rnd: Rng, n: number): Buffer => Buffer.from(Array.from({ length: n }, () => pick(rnd, 256)));

/** Inputs made from nothing: 0 to `maxLength` random bytes each, then `stamp` (a signature, say). */
export const randomInputs =
  (maxLength: number, stamp: (b: Buffer) => void = () => {}) =>
  (rnd: Rng): Buffer => {
    const b = randomBytes(rnd, pick(rnd, maxLength));
    stamp(b);
    return b;
  };

export const mutators = {
  /** 1 to 8 bytes set to random values. */
  flip: (): Mutator => (src, rnd) => {
    const b = Buffer.from(src);
    const at: number[] = [];
    for (let i = 0, n = 1 + pick(rnd, 8); i < n && b.length; i++) {
      const p = pick(rnd, b.length);
      b[p] = pick(rnd, 256);
      at.push(p);
    }
    return { bytes: b, what: `flip@${at.join(',')}` };
  },
  /** A u32 written somewhere (4-aligned with probability `aligned`): a `boundary` value half of the time. */
  u32:
    (boundary: readonly number[], aligned = 0): Mutator =>
    (src, rnd) => {
      if (src.length < 4) return { bytes: Buffer.from(src), what: 'u32 (too short)' };
      const v = rnd() < 0.5 ? boundary[pick(rnd, boundary.length)] : pick(rnd, 0x100000000);
      const at = rnd() < aligned ? pick(rnd, Math.floor(src.length / 4)) * 4 : pick(rnd, src.length - 3);
      const b = Buffer.from(src);
      b.writeUInt32LE(v >>> 0, at);
      return { bytes: b, what: `u32@${at}=0x${(v >>> 0).toString(16)}` };
    },
  /** The end cut off. */
  truncate: (): Mutator => (src, rnd) => {
    const n = pick(rnd, src.length + 1);
    return { bytes: Buffer.from(src.subarray(0, n)), what: `truncate@${n}` };
  },
  /** 1 to `max` random bytes put in. */
  insert:
    (max = 16): Mutator =>
    (src, rnd) => {
      const at = pick(rnd, src.length + 1);
      const add = randomBytes(rnd, 1 + pick(rnd, max));
      return { bytes: Buffer.concat([src.subarray(0, at), add, src.subarray(at)]), what: `insert@${at}+${add.length}` };
    },
  /** 1 to `max` bytes taken out. */
  remove:
    (max = 32): Mutator =>
    (src, rnd) => {
      const at = pick(rnd, src.length);
      const n = 1 + pick(rnd, max);
      return { bytes: Buffer.concat([src.subarray(0, at), src.subarray(at + n)]), what: `remove@${at}-${n}` };
    },
  /** Up to `max` bytes written twice. */
  duplicate:
    (max = 200): Mutator =>
    (src, rnd) => {
      const at = pick(rnd, src.length);
      const end = at + pick(rnd, max);
      return { bytes: Buffer.concat([src.subarray(0, end), src.subarray(at, end), src.subarray(end)]), what: `duplicate@${at}..${end}` };
    },
  /** One of `pieces` put in at a multiple of `align` (2: a UTF-16 character boundary). */
  splice:
    (pieces: readonly Buffer[], align = 1): Mutator =>
    (src, rnd) => {
      const at = pick(rnd, src.length + 1);
      const p = at - (at % align);
      const k = pick(rnd, pieces.length);
      return { bytes: Buffer.concat([src.subarray(0, p), pieces[k], src.subarray(p)]), what: `splice@${p}#${k}` };
    },
};

export interface Decoded<T> {
  value: T | null;
  findings: readonly Finding[];
}

export interface FuzzOptions<T> {
  seed: number;
  runs: number;
  /** Seed inputs, taken in turn (run i starts from inputs[i % n]), or a maker of fresh ones. */
  inputs: readonly Buffer[] | ((rnd: Rng, run: number) => Buffer);
  /** Default: flip, truncate, insert, remove, duplicate. */
  mutators?: readonly Mutator[];
  /** Mutations stacked on each input: 1 to `stack` (default 3), so damage compounds; 0 for none. */
  stack?: number;
  /** A last change after the mutations (fix a checksum, set a flag, re-encode). */
  prepare?: (bytes: Buffer, run: number) => Buffer;
  decode: (bytes: Buffer, run: number) => Decoded<T>;
  /** Checks on a decoded value (a round trip, say): throw to fail the run. */
  check?: (value: T, bytes: Buffer, run: number) => void;
  /** What every finding's specRef must match (default: any non-empty string). */
  specRef?: RegExp;
  /** Replays one run (the one a failure named). */
  only?: number;
}

export interface FuzzStats {
  runs: number;
  /** Runs that gave a value. */
  decoded: number;
  /** Runs that gave null (always with an error finding). */
  rejected: number;
  /** Runs with at least one error finding. */
  flagged: number;
}

const DEFAULT_MUTATORS: readonly Mutator[] = [mutators.flip(), mutators.truncate(), mutators.insert(), mutators.remove(), mutators.duplicate()];

/** The bytes of one run, from its own stream (so `only` gives the same bytes), and what was done. */
function makeInput<T>(o: FuzzOptions<T>, run: number): { bytes: Buffer; story: string[] } {
  const rnd = mulberry32(deriveSeed(o.seed, run));
  const start = typeof o.inputs === 'function' ? o.inputs(rnd, run) : o.inputs[run % o.inputs.length];
  const story = [typeof o.inputs === 'function' ? `made ${start.length} bytes` : `input ${run % o.inputs.length}`];
  const list = o.mutators ?? DEFAULT_MUTATORS;
  let bytes = start;
  const stack = o.stack ?? 3;
  for (let k = 0, n = stack === 0 ? 0 : 1 + pick(rnd, stack); k < n; k++) {
    const m = list[pick(rnd, list.length)](bytes, rnd);
    bytes = m.bytes;
    story.push(m.what);
  }
  if (o.prepare) bytes = o.prepare(bytes, run);
  return { bytes, story };
}

/** What is wrong with one decoder result, or undefined. */
function problemWith<T>(r: Decoded<T>, o: FuzzOptions<T>): string | undefined {
  if (!r || !Array.isArray(r.findings)) return 'the decoder returned no { value, findings }';
  const bad = r.findings.find((f) => !f.rule || typeof f.rule !== 'string' || !f.specRef || typeof f.specRef !== 'string' || (o.specRef && !o.specRef.test(f.specRef)));
  if (bad) return `a finding without a proper rule and specRef: ${JSON.stringify(bad)}`;
  if (r.value === null && !r.findings.some((f) => f.level === 'error')) return 'value null without an error finding';
  return undefined;
}

/** Decodes one run's bytes and counts the outcome; returns what went wrong, if anything. */
function decodeOnce<T>(o: FuzzOptions<T>, bytes: Buffer, run: number, stats: FuzzStats): string | undefined {
  try {
    const r = o.decode(bytes, run);
    const problem = problemWith(r, o);
    if (problem) return problem;
    if (r.value !== null) o.check?.(r.value, bytes, run);
    stats.runs++;
    stats[r.value !== null ? 'decoded' : 'rejected']++;
    if (r.findings.some((f) => f.level === 'error')) stats.flagged++;
    return undefined;
  } catch (e) {
    return `threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
  }
}

/**
 * Runs the decoder on `runs` mutated inputs; throws on the first run that throws, breaks the
 * `{ value, findings }` contract or fails `check`, naming seed, run and mutations.
 * @example
 * const stats = fuzzDecoder({ seed: 0x5a11, runs: 2000, inputs: [golden], decode: (b) => decodeX(b) });
 * expect(stats.rejected).toBeGreaterThan(100);
 */
export function fuzzDecoder<T>(o: FuzzOptions<T>): FuzzStats {
  const stats: FuzzStats = { runs: 0, decoded: 0, rejected: 0, flagged: 0 };
  const [from, to] = o.only !== undefined ? [o.only, o.only + 1] : [0, o.runs];
  for (let run = from; run < to; run++) {
    const { bytes, story } = makeInput(o, run);
    const problem = decodeOnce(o, bytes, run, stats);
    if (!problem) continue;
    const hex = bytes.subarray(0, 256).toString('hex') + (bytes.length > 256 ? '…' : '');
    throw new Error(`fuzz seed 0x${o.seed.toString(16)} run ${run} (replay with only: ${run}): ${problem}\n  ${story.join(' → ')}\n  ${bytes.length} bytes: ${hex}`);
  }
  return stats;
}
