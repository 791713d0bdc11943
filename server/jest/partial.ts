// How a captured record differs from the partial object a matcher expects (toMatchObject semantics:
// keys of plain objects are walked, anything else — arrays, asymmetric matchers, values — compared whole).

/** One place where the record is not what was expected: its dotted path, both values. */
export interface Difference {
  path: string;
  expected: unknown;
  received: unknown;
}

/** The equality used at the leaves: jest's, with its subset and iterable testers. */
export type Equals = (received: unknown, expected: unknown) => boolean;

/** An object literal or parsed JSON, of any realm (fetch's JSON comes from outside jest's vm context). */
const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
};
/** expect.any(…), expect.stringMatching(…) and the like: compared whole, never walked. */
const isAsymmetric = (v: unknown): boolean => typeof (v as { asymmetricMatch?: unknown } | null)?.asymmetricMatch === 'function';

/**
 * Every path where `received` does not match `expected`; an empty list means it matches.
 * @example differences({ partner: 'office' }, session, equals) // [{ path: 'partner', expected: 'office', received: 'windows' }]
 */
export function differences(expected: unknown, received: unknown, equals: Equals, path = ''): Difference[] {
  if (isPlainObject(expected) && !isAsymmetric(expected)) {
    if (!isPlainObject(received)) return [{ path: path || '(the record)', expected, received }];
    return Object.keys(expected).flatMap((k) => differences(expected[k], received[k], equals, path ? `${path}.${k}` : k));
  }
  return equals(received, expected) ? [] : [{ path: path || '(the record)', expected, received }];
}

/** The record with the fewest differences (the newest of equals: records come oldest first), with them. */
export function closest<T>(expected: unknown, records: readonly T[], equals: Equals): { record: T; differences: Difference[] } | null {
  let best: { record: T; differences: Difference[] } | null = null;
  for (const record of records) {
    const d = differences(expected, record, equals);
    if (!best || d.length <= best.differences.length) best = { record, differences: d };
  }
  return best;
}
