// The session table's read side over the sections JSON, and sessions migration 003, which moves the
// section rows of an older store (table sqm_sections) into their session rows.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Store } from '../store';
import { requestRecord } from '../../test/helpers/capture-record';
import { SESSION_CAPTURE, SessionQueries } from './store';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sessions-store-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The part as it was before 003: its migrations up to 002, and no statements (the old one named sqm_sections). */
const BEFORE_003 = { tables: SESSION_CAPTURE.tables, migrations: SESSION_CAPTURE.migrations!.filter((m) => m.id !== 'sessions/003-sections-inline') };

describe('sessions migration 003 (sections into the session row)', () => {
  it('moves the section rows of a store made before, in idx order, nulls left out, and drops the table', async () => {
    const file = path.join(dir, 'old.sqlite');
    const old = Store.open(file, { mode: 'main', parts: [BEFORE_003] });
    const { requestId } = await old.capture({ request: requestRecord({ body: Buffer.alloc(64) }) });
    const insertSession = old.db.prepare(
      `INSERT INTO sqm_sessions (request_id, protocol_version, partner, accepted, mid, body_offset, body_length) VALUES (?, 1, 'windows', 1, '{A}', 0, 64)`,
    );
    const [withSections, without] = [insertSession.run(requestId), insertSession.run(requestId)].map((r) => Number(r.lastInsertRowid));
    const insertSection = old.db.prepare(`INSERT INTO sqm_sections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    insertSection.run(withSections, 1, 5, 'stream', 40, 24, 2, null, 7, 3, 2);
    insertSection.run(withSections, 0, 2, 'string', 0, 40, 1, 'windows', null, null, null);
    await old.close();

    const store = Store.open(file, { mode: 'main', parts: [SESSION_CAPTURE] });
    try {
      const q = new SessionQueries(store.db);
      const [a, b] = q.sessions();
      expect(a.sections).toEqual([
        { idx: 0, type: 2, typeName: 'string', offset: 0, length: 40, entries: 1, layout: 'windows', streamId: null, countPerRecord: null, countRecords: null },
        { idx: 1, type: 5, typeName: 'stream', offset: 40, length: 24, entries: 2, layout: null, streamId: 7, countPerRecord: 3, countRecords: 2 },
      ]);
      expect(b.sections).toEqual([]);
      expect(q.sizes([withSections, without])).toEqual(new Map([[withSections, { sections: 2, entries: 3, sectionBytes: 64 }]]));
      expect(q.sessionsByIds([withSections], 1)[0].sections.map((s) => s.idx)).toEqual([0]);
      expect(store.db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqm_sections'`).get()).toEqual({ n: 0 });
    } finally {
      await store.close();
    }
  });
});
