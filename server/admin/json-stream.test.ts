// Admin answers written in chunks (issue 13 item 2): the same JSON text as toJson, whatever the shape.

import { LazyList } from '../core/query';
import { toJson } from './json';
import { jsonChunks } from './json-stream';

const text = (v: unknown) => [...jsonChunks(v)].join('');

describe('jsonChunks', () => {
  const big = { sessions: [{ id: 1, sections: [{ datapoints: Array.from({ length: 20_000 }, (_, i) => ({ id: i, value: 2n ** 40n, tickCount: i })) }] }], raw: Buffer.from('ab') };

  it.each<[string, unknown]>([
    ['a small object', { a: 1, b: [1, 2], c: null, d: undefined, e: 'x' }],
    ['an empty array', []],
    ['a large nested value with bigints and Buffers', big],
    ['an array with undefined items', Array.from({ length: 5000 }, (_, i) => (i % 2 ? undefined : i))],
  ])('%s: the same text as toJson', (_name, v) => {
    expect(text(v)).toBe(toJson(v));
  });

  it('a large value comes in many chunks; a LazyList is made while written', () => {
    expect([...jsonChunks(big)].length).toBeGreaterThan(10);
    let made = 0;
    const lazy = new LazyList(3, function* () {
      for (let i = 0; i < 3; i++) yield { i, made: ++made };
    });
    expect(JSON.parse(text({ rows: lazy }))).toEqual({ rows: [0, 1, 2].map((i) => ({ i, made: i + 1 })) });
  });
});
