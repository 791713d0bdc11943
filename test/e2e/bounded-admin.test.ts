// Issue 13 items 2 and 10 end to end: admin lists page (default limit, cursor, next header) and
// summarise a pathological session (served whole by id); a PUT to an unknown route keeps only the
// unknown-route limit; a compressed session stores its raw body, not the decompressed data.

import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_PAGE } from '../../server/core/query';
import { buildCabinet, buildSqmSession } from '../../server/testing';
import { send } from '../helpers/http';
import { useMock } from '../helpers/lifecycle';

const dbFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sqm-bounded-')), 'capture.sqlite');
const mock = useMock(() => ({ db: dbFile }));
// A 1.6 MB pathological upload and 1,005 requests: slow on a loaded machine.
jest.setTimeout(120_000);
const upload = (body: Uint8Array) => send(`${mock.url}/sqm/windows/sqmserver.dll`, { body });
const admin = (p: string) => fetch(`${mock.url}/__admin${p}`);

describe('a pathological session: 200,000 empty DWORD sections (issue 13 item 2)', () => {
  const body = buildSqmSession({ trailing: Buffer.alloc(200_000 * 8), header: { sectionCount: 200_000 } });

  it('is accepted, decoded up to the limit with a decode-limit warning, summarised in lists and whole by id', async () => {
    const res = await upload(body);
    expect(res.status).toBe(200);
    const list = await admin('/sqm/sessions');
    const text = await list.text();
    // Before: 17.5 MB of JSON for this one session.
    expect(text.length).toBeLessThan(200_000);
    const [s] = (
      JSON.parse(text) as { sessions: { id: number; truncated?: boolean; summary?: { sections: number; entries: number }; sections: unknown[]; findings: { rule: string }[] }[] }
    ).sessions;
    expect(s).toMatchObject({ truncated: true, summary: { sections: 10_000, entries: 0 } });
    expect(s.sections.length).toBeLessThanOrEqual(1000);
    expect(s.findings.map((f) => f.rule)).toContain('sqm-v1.decode-limit');
    const whole = await mock.client.sqmSession(s.id);
    expect(whole.truncated).toBeUndefined();
    expect(whole.sections).toHaveLength(10_000);
    expect(whole.undecodedBytes).toBe(190_000 * 8);
  });
});

describe('admin lists page (issue 13 item 2)', () => {
  it('without limit: at most the default page, oldest first, with X-Next-Cursor and Link; the client follows them', async () => {
    const n = DEFAULT_PAGE + 5;
    // In order (ids follow paths), 25 at a time.
    for (let i = 0; i < n; i += 25) {
      const batch = Array.from({ length: Math.min(25, n - i) }, (_, k) => i + k);
      for (const r of await Promise.all(batch.map((k) => send(`${mock.url}/nothing/${k}`, { method: 'GET' })))) expect(r.status).toBe(404);
    }
    const first = await admin('/requests?protocol=unknown');
    const page = ((await first.json()) as { requests: { id: number }[] }).requests;
    expect(page).toHaveLength(DEFAULT_PAGE);
    const cursor = first.headers.get('x-next-cursor');
    expect(cursor).toBe(String(page[page.length - 1].id));
    expect(first.headers.get('link')).toBe(`</__admin/requests?protocol=unknown&since=${cursor}>; rel="next"`);
    const second = await admin(`/requests?protocol=unknown&since=${cursor}`);
    expect(((await second.json()) as { requests: unknown[] }).requests).toHaveLength(5);
    expect(second.headers.get('x-next-cursor')).toBeNull();
    // An explicit limit keeps its meaning: the newest N, no cursor.
    const newest = await admin('/requests?protocol=unknown&limit=3');
    const ids = page.map((r) => r.id);
    expect(((await newest.json()) as { requests: { id: number }[] }).requests.map((r) => r.id)).toEqual([ids[0] + n - 3, ids[0] + n - 2, ids[0] + n - 1]);
    expect(newest.headers.get('x-next-cursor')).toBeNull();
    expect(await mock.client.requests({ protocol: 'unknown' })).toHaveLength(n);
  });

  it('sessions page the same way, and the typed client gets every one', async () => {
    for (let i = 0; i < 3; i++) expect((await upload(buildSqmSession({ sections: [{ type: 'dword', datapoints: [{ id: i, value: i }] }] }))).status).toBe(200);
    const all = await mock.client.sqmSessions();
    expect(all.map((s) => s.sections[0].datapoints![0].id)).toEqual([0, 1, 2]);
  });
});

describe('storage amplification (issue 13 item 10)', () => {
  it('a 2 MiB PUT to an unknown route is kept only to the 1 MiB limit (its first 64 KiB), answered 404', async () => {
    const res = await send(`${mock.url}/junk.bin`, { method: 'PUT', body: Buffer.alloc(2 * 1024 * 1024, 7) });
    expect(res.status).toBe(404);
    const [r] = await mock.client.requests({ limit: 1 });
    expect(r).toMatchObject({ protocol: 'cer-level2', bodySize: 2 * 1024 * 1024, bodyTruncated: true });
    expect(await mock.client.requestBody(r.id)).toHaveLength(64 * 1024);
  });

  it('an MSZIP session stores its raw body only; its sections are still read back (decompressed again)', async () => {
    const points = Array.from({ length: 2000 }, (_, i) => ({ id: i, value: 0 }));
    const body = buildSqmSession({ sections: [{ type: 'dword', datapoints: points }], compress: (raw) => buildCabinet(raw) });
    expect((await upload(body)).status).toBe(200);
    const [s] = await mock.client.sqmSessions();
    expect(s.compressed).toBe(true);
    expect(s.sections[0].datapoints).toHaveLength(2000);
    const db = new Database(dbFile, { readonly: true });
    try {
      const row = db.prepare('SELECT raw_data AS rawData, raw_data_omitted AS omitted FROM sqm_sessions WHERE id = ?').get(s.id) as { rawData: Buffer | null; omitted: number };
      expect(row).toEqual({ rawData: null, omitted: 1 });
    } finally {
      db.close();
    }
  });
});
