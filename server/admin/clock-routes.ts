// GET and POST /__admin/clock (INTERFACE.md section 5): the mock's time, moved on with
// `{"advanceSeconds": N}` or set with `{"set": ISO}`; both answer like GET.

import express from 'express';
import type { MockContext } from '../context';
import { ERR, quote } from '../errors';
import { sendJson } from './json';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

export function clockRoutes(r: express.Router, ctx: MockContext): void {
  r.get('/clock', (_req, res) => sendJson(res, 200, ctx.clock));
  r.post('/clock', express.json({ type: () => true, limit: '4kb' }), (req, res) => {
    const body = (req.body ?? {}) as { advanceSeconds?: unknown; set?: unknown };
    if (body.advanceSeconds !== undefined) {
      if (typeof body.advanceSeconds !== 'number' || !Number.isFinite(body.advanceSeconds)) {
        throw ERR.BAD_QUERY({ subject: 'advanceSeconds', expected: 'a number of seconds', got: quote(JSON.stringify(body.advanceSeconds)) });
      }
      ctx.clock.advance(body.advanceSeconds);
    } else if (body.set !== undefined) {
      if (typeof body.set !== 'string' || !ISO.test(body.set))
        throw ERR.BAD_QUERY({ subject: 'set', expected: 'an ISO 8601 date-time with a zone', got: quote(JSON.stringify(body.set)) });
      ctx.clock.set(new Date(body.set));
    } else {
      throw ERR.BAD_QUERY({ subject: 'body', expected: '{"advanceSeconds": N} or {"set": ISO}', got: quote(JSON.stringify(body)) });
    }
    sendJson(res, 200, ctx.clock);
  });
}
