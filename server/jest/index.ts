// sqm-cer-mock/jest (INTERFACE.md section 6): jest matchers that ask a running mock what it captured.
// Importing this module registers them with the global `expect` when there is one; its types add them
// to jest's `Matchers` for the global `expect` (@types/jest) and for `import { expect } from '@jest/globals'`.

// Loads jest's `expect` types (a dev dependency of every jest project) so they can be augmented below.
import type {} from 'expect';
import type { CerReportJson, SessionJson } from '../admin/client';
import { sqmMatchers, type NoViolationsOptions, type WaitOption } from './matchers';

export { sqmMatchers, type MockTarget, type NoViolationsOptions, type WaitOption, type MatcherResult } from './matchers';
export { differences, closest, type Difference } from './partial';

/** expect.any(…), expect.objectContaining(…) and the other asymmetric matchers. */
interface AsymmetricLike {
  asymmetricMatch(other: unknown): boolean;
}

/** A partial record as toMatchObject takes it: any subset of the keys, at any depth; any value may be an asymmetric matcher. */
export type PartialMatch<T> = AsymmetricLike | (T extends readonly (infer U)[] ? readonly PartialMatch<U>[] : T extends object ? { [K in keyof T]?: PartialMatch<T[K]> } : T);

/** The matchers as jest's `expect(…)` offers them; `R` is what jest's Matchers return. */
export interface SqmCerMockMatchers<R> {
  /**
   * Passes when the mock captured an SQM session (v1, or one inside a v2 dataupload) matching `expected`
   * as toMatchObject would; fails naming the closest session and where it differs. Asks once, or until
   * one matches for up to `timeoutMs`.
   * @example await expect(mock).toHaveReceivedSqmSession({ partner: 'windows', protocolVersion: 1 });
   */
  toHaveReceivedSqmSession(expected: PartialMatch<SessionJson>, options?: WaitOption): Promise<R>;
  /**
   * Passes when the mock captured a CER level-1 report matching `expected` (its level-2 upload is `level2`).
   * @example await expect(mock).toHaveReceivedCerReport({ eventType: 'APPCRASH', level2: expect.anything() });
   */
  toHaveReceivedCerReport(expected: PartialMatch<CerReportJson>, options?: WaitOption): Promise<R>;
  /**
   * Passes when GET /__admin/violations (by default: warnings and errors, per request and per
   * conversation) lists nothing, or nothing but the rules in `ignore`; fails listing them.
   * @example await expect(mock).toHaveNoViolations({ level: 'error', ignore: ['sqm-v1.resent'] });
   */
  toHaveNoViolations(options?: NoViolationsOptions): Promise<R>;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- @types/jest's global namespace
  namespace jest {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
    interface Matchers<R, T = {}> extends SqmCerMockMatchers<R> {}
  }
}

declare module 'expect' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
  interface Matchers<R extends void | Promise<void>, T = unknown> extends SqmCerMockMatchers<R> {}
}

const g = globalThis as { expect?: { extend?: (matchers: object) => void } };
if (typeof g.expect?.extend === 'function') g.expect.extend(sqmMatchers);
