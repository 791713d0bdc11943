// differences/closest, the partial matching behind the sqm-cer-mock/jest matchers: paths walked through
// plain objects only, arrays and asymmetric matchers compared whole, the newest of equally close records.

import { closest, differences, type Equals } from './partial';

/** Plain deep equality, with asymmetric matchers honoured (what jest's equals does for these cases). */
const equals: Equals = (received, expected) =>
  typeof (expected as { asymmetricMatch?: unknown })?.asymmetricMatch === 'function'
    ? (expected as { asymmetricMatch(x: unknown): boolean }).asymmetricMatch(received)
    : JSON.stringify(received) === JSON.stringify(expected);

const record = { id: 1, partner: 'windows', header: { manifestVersion: 3, flags: 0 }, sections: [{ type: 0 }] };

describe('differences', () => {
  it.each<[string, unknown, { path: string; expected: unknown; received: unknown }[]]>([
    ['an empty partial matches', {}, []],
    ['a matching subset', { partner: 'windows', header: { manifestVersion: 3 } }, []],
    ['one wrong top-level value', { partner: 'office' }, [{ path: 'partner', expected: 'office', received: 'windows' }]],
    ['a nested path', { header: { manifestVersion: 7, flags: 0 } }, [{ path: 'header.manifestVersion', expected: 7, received: 3 }]],
    ['a missing key', { nope: 1 }, [{ path: 'nope', expected: 1, received: undefined }]],
    ['an array compared whole', { sections: [{ type: 3 }] }, [{ path: 'sections', expected: [{ type: 3 }], received: [{ type: 0 }] }]],
    ['an object expected where a value is', { partner: { a: 1 } }, [{ path: 'partner', expected: { a: 1 }, received: 'windows' }]],
  ])('%s', (_name, expected, want) => {
    expect(differences(expected, record, equals)).toEqual(want);
  });

  it('hands an asymmetric matcher to equals whole', () => {
    expect(differences({ header: expect.objectContaining({ flags: 0 }) }, record, equals)).toEqual([]);
    expect(differences({ partner: expect.stringMatching(/^off/) }, record, equals).map((d) => d.path)).toEqual(['partner']);
  });
});

describe('closest', () => {
  it('is the record with the fewest differences, the newest of a tie, null for none', () => {
    const a = { id: 1, partner: 'x', mid: 'm' };
    const b = { id: 2, partner: 'y', mid: 'm' };
    const c = { id: 3, partner: 'y', mid: 'n' };
    expect(closest({ partner: 'y', mid: 'm' }, [a, b, c], equals)).toEqual({ record: b, differences: [] });
    expect(closest({ partner: 'z', mid: 'm' }, [a, b, c], equals)!.record).toBe(b);
    expect(closest({}, [], equals)).toBeNull();
  });
});
