// The upstream leg of a forwarded request (CEIP redirect, SQM relay) in the store: the `forwards`
// table (db/migrations/upstream), its capture row, its read side, and its part of the admin API
// (GET /__admin/requests/:id/forward/sent|received and the `forward` field of a request).

import { createHash } from 'node:crypto';
import { defineModule, type AdminPart } from '../core/module';
import { migrationFiles, parseJson, StatementCache, type CapturePart, type CaptureRow, type Db } from '../store';
import { upstreamClient } from './client';
import type { ForwardOutcome, ForwardResult } from './forward';

export const FORWARD_CAPTURE: CapturePart = {
  statements: {
    'upstream:forward': `INSERT INTO forwards (request_id, url, method, request_headers, request_body, request_sha256, status, response_headers,
      response_body, outcome, error, duration_ms) VALUES (@requestId, @url, @method, @requestHeaders, @requestBody, @requestSha256, @status, @responseHeaders,
      @responseBody, @outcome, @error, @durationMs)`,
  },
  tables: ['forwards'],
  migrations: migrationFiles('upstream', { '001-forwards.sql': 5 }),
};

/** The row for what went out (`sent`; its sha256 when the caller already has it) and what came back (`res`). */
export function forwardRow(sent: { url: string; method: string; headers: Record<string, string>; body: Buffer; sha256?: string }, res: ForwardResult): CaptureRow {
  return {
    stmt: 'upstream:forward',
    params: {
      url: sent.url,
      method: sent.method,
      requestHeaders: JSON.stringify(sent.headers),
      requestBody: sent.body,
      requestSha256: sent.sha256 ?? createHash('sha256').update(sent.body).digest('hex'),
      status: res.status,
      responseHeaders: JSON.stringify(res.headers),
      responseBody: res.body,
      outcome: res.outcome,
      error: res.error,
      durationMs: res.durationMs,
    },
  };
}

export interface ForwardRow {
  url: string;
  method: string;
  requestHeaders: Record<string, string>;
  requestBody: Buffer | null;
  requestSha256: string;
  status: number | null;
  responseHeaders: Record<string, string> | null;
  responseBody: Buffer | null;
  /** How the exchange ended: the answer passed back whole, or why not (the client got 502/504). */
  outcome: ForwardOutcome;
  error: string | null;
  durationMs: number;
}

export class ForwardQueries {
  private readonly cache: StatementCache;
  constructor(db: Db) {
    this.cache = new StatementCache(db, 10);
  }
  /** The upstream leg of a forwarded request, if it was forwarded. */
  forward(requestId: number): ForwardRow | undefined {
    const row = this.cache
      .prepare(
        `SELECT url, method, request_headers AS requestHeaders, request_body AS requestBody, request_sha256 AS requestSha256,
      status, response_headers AS responseHeaders, response_body AS responseBody, outcome, error, duration_ms AS durationMs FROM forwards WHERE request_id = ?`,
      )
      .get(requestId) as (Omit<ForwardRow, 'requestHeaders' | 'responseHeaders'> & { requestHeaders: string; responseHeaders: string | null }) | undefined;
    if (!row) return undefined;
    return { ...row, requestHeaders: JSON.parse(row.requestHeaders) as Record<string, string>, responseHeaders: parseJson(row.responseHeaders) };
  }
}

const legRoute = (leg: 'sent' | 'received', field: 'requestBody' | 'responseBody') => ({
  method: 'GET' as const,
  path: `/requests/:id/forward/${leg}`,
  handle: ({ params }: { params: Record<string, string> }, q: ForwardQueries) => {
    const fw = q.forward(Number(params.id));
    if (!fw) return { notFound: `request ${params.id} was not forwarded` };
    return { bytes: fw[field] ?? Buffer.alloc(0), contentType: 'application/octet-stream' };
  },
});

const forwardAdmin: AdminPart<ForwardQueries> = {
  routes: [legRoute('sent', 'requestBody'), legRoute('received', 'responseBody')],
  requestDetail: (request, q) => {
    const fw = q.forward(request.id);
    if (!fw) return undefined;
    const { requestBody, responseBody, ...rest } = fw;
    return { forward: { ...rest, requestSize: requestBody?.length ?? 0, responseSize: responseBody?.length ?? 0 } };
  },
};

/** The module of the registry that owns the forwards table (used by the CEIP and relay modules). */
export const upstreamModule = defineModule<ForwardQueries>({
  name: 'upstream',
  capture: FORWARD_CAPTURE,
  openState: (store) => new ForwardQueries(store.db),
  admin: forwardAdmin,
  client: upstreamClient,
});
