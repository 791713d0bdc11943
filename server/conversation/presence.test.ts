// The presence filter in front of the conversation queries: it must never hide a setup (a missed
// violation), whatever was added, reset or reopened; a false "maybe" only costs a query.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store, type CaptureRecord } from '../store';
import { CONVERSATION_CAPTURE, setupRow } from './rows';
import { SetupPresence } from './presence';
import { conversationOf } from './state';
import { requestRecord } from '../../test/helpers/capture-record';

describe('SetupPresence', () => {
  it('answers maybe for every key added (no false negatives) and rarely for others', () => {
    const p = new SetupPresence();
    for (let i = 0; i < 100_000; i++) p.add('accepted', `windows/{${i}}`);
    let missed = 0;
    for (let i = 0; i < 100_000; i++) if (!p.mayHave('accepted', `windows/{${i}}`)) missed++;
    expect(missed).toBe(0);
    let maybes = 0;
    for (let i = 0; i < 100_000; i++) if (p.mayHave('throttle', `windows/{${i}}`)) maybes++;
    // 100k keys in 8 Mbit with 4 probes: about 0.005 % false positives.
    expect(maybes).toBeLessThan(100);
  });
  it('tells kinds and clients apart, and forgets all on clear', () => {
    const p = new SetupPresence();
    p.add('throttle', 'a');
    expect(p.mayHave('throttle', 'a')).toBe(true);
    expect(p.mayHave('throttle', 'b')).toBe(false);
    expect(p.mayHave('refused', 'a')).toBe(false);
    p.clear();
    expect(p.mayHave('throttle', 'a')).toBe(false);
  });
});

const record = (clientKey: string, kind: string): CaptureRecord => ({
  request: requestRecord({ body: Buffer.from('x'), status: 201, partner: 'windows' }),
  rows: [setupRow({ clientKey, protocol: 'sqm-v1', kind, at: new Date('2026-01-01T00:00:00Z'), until: new Date('2026-01-08T00:00:00Z') })],
});

describe('conversationOf(store)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'presence-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const open = () => Store.open(join(dir, 'db.sqlite'), { parts: [CONVERSATION_CAPTURE], mode: 'main' });

  it('is one state per store, sees captured setups, and forgets them on reset', async () => {
    const store = open();
    const c = conversationOf(store);
    expect(conversationOf(store)).toBe(c);
    expect(c.setups({ kind: 'throttle', clientKey: 'windows/{A}' })).toEqual([]);
    await store.capture(record('windows/{A}', 'throttle'));
    expect(c.setups({ kind: 'throttle', clientKey: 'windows/{A}' })).toHaveLength(1);
    expect(c.setups({ kind: ['accepted', 'throttle'], clientKey: 'windows/{A}' })).toHaveLength(1);
    expect(c.mayHave('throttle', 'windows/{B}')).toBe(false);
    await store.reset();
    expect(c.mayHave('throttle', 'windows/{A}')).toBe(false);
    expect(c.setups({ kind: 'throttle', clientKey: 'windows/{A}' })).toEqual([]);
    await store.close();
  });
  it('fills its filter from the table when a store is reopened', async () => {
    const first = open();
    await first.capture(record('windows/{A}', 'throttle'));
    await first.close();
    const again = open();
    expect(conversationOf(again).setups({ kind: 'throttle', clientKey: 'windows/{A}' })).toHaveLength(1);
    await again.close();
  });
});
