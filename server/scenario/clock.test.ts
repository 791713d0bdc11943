// The clock with a fixed real time: advance, set, reset and what the admin API shows.

import { Clock } from './clock';

const REAL = Date.parse('2026-01-01T00:00:00Z');

it('runs on real time plus an offset that advance, set and reset change', () => {
  const c = new Clock(() => REAL);
  expect(c.toJSON()).toEqual({ now: '2026-01-01T00:00:00.000Z', offsetSeconds: 0 });
  c.advance(7 * 86400);
  expect(c.now().toISOString()).toBe('2026-01-08T00:00:00.000Z');
  c.set(new Date('2030-06-01T12:00:00Z'));
  expect(c.nowMs()).toBe(Date.parse('2030-06-01T12:00:00Z'));
  expect(c.offsetSeconds).toBe((Date.parse('2030-06-01T12:00:00Z') - REAL) / 1000);
  c.reset();
  expect(c.nowMs()).toBe(REAL);
});
