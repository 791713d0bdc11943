// SqliteTokenState's cache: filled by commits and by reads, kept up to date by later commits,
// emptied by reset, and never an answer the tables would not give.

import { Store, type CaptureRecord } from '../../store';
import { requestRecord } from '../../../test/helpers/capture-record';
import { SqliteTokenState, TOKEN_CACHE_ENTRIES } from './state';
import { TOKEN_CAPTURE, tokenRow, tokenUseRow } from './store';

const issue = (token: string) => tokenRow({ token, namespace: { ptr: 'windows' }, mid: '{M}', issuedAt: new Date(0), expiresAt: new Date(1000), expiresFiletime: 1n });
const record = (...rows: CaptureRecord['rows'] & object): CaptureRecord => ({ request: requestRecord(), rows });

let store: Store;
beforeEach(() => (store = Store.open(':memory:', { parts: [TOKEN_CAPTURE] })));
afterEach(() => store.close());

describe('SqliteTokenState: the cache', () => {
  it('answers a token issued before it existed from the table, then follows its uses without reading again', async () => {
    await store.capture(record(issue('3.a.b')));
    const state = new SqliteTokenState(store);
    expect(state.token('3.a.b')).toMatchObject({ requestId: 1, usedBy: [] });
    await store.capture(record(tokenUseRow('3.a.b', '1', 'receipt')));
    expect(state.token('3.a.b')).toEqual(new SqliteTokenState(store).token('3.a.b'));
    // Changed behind its back: what it answers now comes from what the commits told it.
    store.db.prepare('DELETE FROM sqm_token_uses').run();
    expect(state.token('3.a.b')).toMatchObject({ usedBy: [2], receipts: [2] });
    expect(new SqliteTokenState(store).token('3.a.b')).toMatchObject({ usedBy: [], receipts: [] });
  });

  it('gives copies: a caller changing one changes nothing', async () => {
    const state = new SqliteTokenState(store);
    await store.capture(record(issue('3.a.b')));
    state.token('3.a.b')!.usedBy.push(99);
    expect(state.token('3.a.b')!.usedBy).toEqual([]);
  });

  it('is emptied by reset', async () => {
    const state = new SqliteTokenState(store);
    await store.capture(record(issue('3.a.b')));
    expect(state.token('3.a.b')).toBeDefined();
    await store.reset();
    expect(state.token('3.a.b')).toBeUndefined();
  });

  it(`starts again from none past ${TOKEN_CACHE_ENTRIES} tokens, and still answers from the table`, async () => {
    const state = new SqliteTokenState(store);
    await store.capture(record(...Array.from({ length: TOKEN_CACHE_ENTRIES }, (_, i) => issue(`3.t${i}.x`))));
    await store.capture(record(issue('3.last.x'), tokenUseRow('3.t0.x', '1', 'receipt')));
    expect(state.token('3.t0.x')).toMatchObject({ requestId: 1, usedBy: [2] });
    expect(state.token('3.last.x')).toMatchObject({ requestId: 2 });
  });
});
