// A capture record's request part for store and state tests: an SQM v1 upload answered 200, with
// whatever a test changes. The store fills in bodySha256 when it is empty. And a session row.

import type { CaptureRow, RequestRecord, SqlValue } from '../../server/store';

export const requestRecord = (over: Partial<RequestRecord> = {}): RequestRecord => {
  const body = over.body ?? Buffer.from('abc');
  return {
    receivedAt: new Date('2026-01-01T00:00:00Z'),
    listener: 'main',
    protocol: 'sqm-v1',
    method: 'POST',
    path: '/sqm/windows/sqmserver.dll',
    headers: [],
    body,
    bodySize: body.length,
    bodyTruncated: false,
    bodySha256: '',
    status: 200,
    responseHeaders: {},
    durationMs: 1,
    ...over,
  };
};

/** A session row as the sessions part writes it (server/sessions/rows.ts): `sections` are summaries without their idx. */
export const sessionRow = (p: Record<string, SqlValue>, sections: Record<string, unknown>[] = []): CaptureRow => ({
  stmt: 'sessions:session',
  key: 'session:0',
  params: {
    protocolVersion: 1,
    partner: null,
    accepted: 1,
    mid: null,
    rawData: null,
    rawDataOmitted: 0,
    context: null,
    sessionBytes: null,
    sections: JSON.stringify(sections.map((c, idx) => ({ idx, ...c }))),
    ...p,
  },
});
