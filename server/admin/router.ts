// The admin API (INTERFACE.md section 4) under /__admin on the main listener.

import express, { type NextFunction, type Request, type Response } from 'express';
import multer from 'multer';
import type { MockContext } from '../context';
import type { AdminResult, OpenModule } from '../core/module';
import { int, type Query } from '../core/query';
import { isMockError } from '../errors';
import { parseScenario } from '../scenario/load';
import { findingFilter, requestFilter } from './filters';
import { sendError, sendJson } from './json';
import { waitKinds } from './wait';

export function adminRouter(ctx: MockContext, modules: readonly OpenModule[]): express.Router {
  const r = express.Router();
  const q = ctx.store.queries;
  if (ctx.config.adminToken) r.use(requireToken(ctx.config.adminToken));

  r.get('/health', (_req, res) => sendJson(res, 200, { status: 'ok' }));
  r.get('/requests', (req, res) => sendJson(res, 200, { requests: q.requests(requestFilter(req.query as Query)) }));
  r.get('/requests/:id', (req, res) => {
    const row = q.request(Number(req.params.id));
    if (!row) return sendError(res, 404, 'NOT_FOUND', `no request ${req.params.id}`);
    const extra = modules.map(({ module, state }) => module.admin?.requestDetail?.(row, state, ctx) ?? {});
    sendJson(res, 200, { ...row, responseBody: row.responseBody?.toString('utf8') ?? null, ...Object.assign({}, ...extra) });
  });
  r.get('/requests/:id/body', (req, res) => {
    const body = q.requestBody(Number(req.params.id));
    if (!body) return sendError(res, 404, 'NOT_FOUND', `no request ${req.params.id}`);
    res.status(200).set('content-type', 'application/octet-stream').send(body);
  });
  for (const { module, state } of modules) {
    for (const route of module.admin?.routes ?? []) {
      r[route.method === 'GET' ? 'get' : 'post'](route.path, (req, res) => send(res, route.handle({ query: req.query, params: req.params as Record<string, string> }, state, ctx)));
    }
  }
  r.get('/violations', (req, res) => sendJson(res, 200, { violations: q.findings(findingFilter(req.query as Query)) }));
  r.get('/wait', async (req, res) => {
    const query = req.query as Query;
    const kind = typeof query.kind === 'string' ? query.kind : '';
    const kinds = waitKinds(ctx, modules);
    const spec = Object.prototype.hasOwnProperty.call(kinds, kind) ? kinds[kind] : undefined;
    if (!spec) return sendError(res, 400, 'BAD_QUERY', `kind: expected one of ${Object.keys(kinds).join(', ')}, got "${kind}"`);
    const count = int(query, 'count', 1) ?? 1;
    const timeoutMs = Math.min(int(query, 'timeoutMs', 0) ?? 5000, 10 * 60_000);
    const check = spec(query);
    const records = await ctx.store.waiters.wait(() => (check.count() >= count ? check.records() : null), timeoutMs);
    if (records) return sendJson(res, 200, { kind, count: records.length, records });
    sendError(res, 408, 'WAIT_TIMEOUT', `fewer than ${count} ${kind} records after ${timeoutMs} ms (have ${check.count()})`);
  });
  r.post('/reset', async (_req, res) => {
    await ctx.store.reset();
    ctx.engine.resetCounters();
    sendJson(res, 200, { status: 'ok' });
  });
  r.get('/scenario', (_req, res) => sendJson(res, 200, ctx.engine.scenario));
  // YAML or JSON as the body, or a multipart upload (`curl -F scenario=@file.yaml`).
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 1 << 20, files: 1 } });
  // multer's own errors (another file field, two files, over 1 MiB, a malformed form) are the
  // client's mistake: 400, not the 500 the generic handler gives errors without a status.
  const multipart = (req: Request, res: Response, next: NextFunction) => upload.single('scenario')(req, res, (err?: unknown) => (err ? next(multipartError(err)) : next()));
  r.put(
    '/scenario',
    (req, res, next) => (req.is('multipart/form-data') ? multipart(req, res, next) : next()),
    express.text({ type: () => true, limit: '1mb' }),
    (req, res) => {
      const file = (req as Request & { file?: Express.Multer.File }).file;
      if (req.is('multipart/form-data') && !file) {
        return sendError(res, 400, 'BAD_REQUEST', 'multipart upload without a "scenario" file field (curl -F scenario=@file.yaml)');
      }
      const text = file ? file.buffer.toString('utf8') : typeof req.body === 'string' ? req.body : '';
      const source = file ? `PUT /__admin/scenario (${file.originalname})` : 'PUT /__admin/scenario';
      ctx.engine.replace(parseScenario(text, source, ctx.engine.schema));
      sendJson(res, 200, ctx.engine.scenario);
    },
  );
  r.use((req: Request, res: Response) => sendError(res, 404, 'NOT_FOUND', `no admin route ${req.method} ${req.originalUrl}`));
  r.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (isMockError(err)) return sendError(res, 400, err.code, err.message);
    const status = (err as { status?: number }).status;
    if (status && status >= 400 && status < 500) return sendError(res, status, 'BAD_REQUEST', (err as Error).message);
    ctx.log.error(`admin: ${(err as Error).message}`);
    sendError(res, 500, 'INTERNAL', 'internal error (logged)');
  });
  return r;
}

function multipartError(err: unknown): Error & { status: number } {
  const e = err as { code?: string; field?: string; message?: string };
  const what = e.code === 'LIMIT_UNEXPECTED_FILE' ? `unexpected file field "${e.field ?? '?'}"` : (e.message ?? String(err)).toLowerCase();
  return Object.assign(new Error(`multipart upload: ${what} (send one file field "scenario", up to 1 MiB: curl -F scenario=@file.yaml)`), { status: 400 });
}

function requireToken(token: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.headers.authorization === `Bearer ${token}`) return next();
    res.set('www-authenticate', 'Bearer');
    sendError(res, 401, 'UNAUTHORIZED', 'the admin API needs "Authorization: Bearer <token>" (--admin-token)');
  };
}

/** A module admin route's result as the HTTP answer. */
function send(res: Response, result: AdminResult): void {
  if ('notFound' in result) return sendError(res, 404, 'NOT_FOUND', result.notFound);
  if ('bytes' in result) return void res.status(200).set('content-type', result.contentType).send(result.bytes);
  sendJson(res, 200, result.json);
}
