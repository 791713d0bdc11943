// Admin API JSON (INTERFACE.md section 4): numbers past 2^53 as decimal strings, Buffers as hex.

import { toJson } from './json';

describe('toJson', () => {
  it.each<[string, unknown, string]>([
    ['a small bigint', 5n, '"5"'],
    ['zero bigint', 0n, '"0"'],
    ['a negative bigint', -12n, '"-12"'],
    ['2^53 + 1 exactly', 2n ** 53n + 1n, '"9007199254740993"'],
    ['the largest QWORD', 2n ** 64n - 1n, '"18446744073709551615"'],
    ['a FILETIME', 133485408000000000n, '"133485408000000000"'],
    ['a Buffer', Buffer.from([0x00, 0x4d, 0x53, 0x51, 0x4d, 0xff]), '"004d53514dff"'],
    ['an empty Buffer', Buffer.alloc(0), '""'],
    ['plain numbers stay numbers', { a: 1, b: 2.5 }, '{"a":1,"b":2.5}'],
    ['strings, booleans and null stay', ['x', true, null], '["x",true,null]'],
  ])('%s', (_name, value, expected) => {
    expect(toJson(value)).toBe(expected);
  });

  it('converts nested bigints and Buffers', () => {
    const value = {
      header: { startTime: 133485408000000000n, id: 7 },
      sections: [{ datapoints: [{ id: 1, value: 2n ** 63n }], raw: Buffer.from('abc') }],
    };
    expect(JSON.parse(toJson(value))).toEqual({
      header: { startTime: '133485408000000000', id: 7 },
      sections: [{ datapoints: [{ id: 1, value: '9223372036854775808' }], raw: '616263' }],
    });
  });

  it('keeps every digit past 2^53 (no float rounding)', () => {
    const big = 12345678901234567890n;
    expect(JSON.parse(toJson({ v: big })).v).toBe('12345678901234567890');
    expect(BigInt(JSON.parse(toJson({ v: big })).v)).toBe(big);
  });

  it('gives a Buffer slice only its own bytes', () => {
    const whole = Buffer.from('0123456789');
    expect(toJson(whole.subarray(2, 4))).toBe('"3233"');
  });
});
