// A capture record's request part for store and state tests: an SQM v1 upload answered 200, with
// whatever a test changes. The store fills in bodySha256 when it is empty.

import type { RequestRecord } from '../../server/store';

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
