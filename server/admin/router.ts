// The admin API (INTERFACE.md section 4) under /__admin on the main listener.

import express, { type NextFunction, type Request, type Response } from 'express';
import type { MockContext } from '../context';
import type { AdminResult, OpenModule } from '../core/module';
import { cutPage, onlyParams, oneMore, type Query } from '../core/query';
import { ERR, isMockError, quote } from '../errors';
import { harOf, PACKAGE_VERSION } from './har';
import { openApiDocument } from './openapi';
import { REQUEST_PARAMS, requestFilter, VIOLATION_PARAMS, violationFilter } from './filters';
import { sendError, sendJson } from './json';
import { sendJsonStream } from './json-stream';
import { clockRoutes } from './clock-routes';
import { conformanceReport } from './conformance';
import { healthRoute } from './health-route';
import { browserGuard, sendDownload } from './guard';
import { toJunit } from './junit';
import { scenarioRoutes } from './scenario-routes';
import { waitHandler } from './wait';
import { requestLayout } from './layout';
import { uiRouter } from './ui/route';

export function adminRouter(ctx: MockContext, modules: readonly OpenModule[]): express.Router {
  const r = express.Router();
  const q = ctx.store.queries;
  // The page's files hold no data, so they are served without the token (the page asks for it);
  // without --admin-token the Host check applies to them as to everything else.
  r.use('/ui', ...(ctx.config.adminToken ? [] : [browserGuard(ctx.config)]), uiRouter());
  r.use(ctx.config.adminToken ? requireToken(ctx.config.adminToken) : browserGuard(ctx.config));

  r.get('/health', healthRoute(ctx));
  r.get('/requests', takes([...REQUEST_PARAMS, 'format']), (req, res) => {
    const f = requestFilter(req.query);
    const format = (req.query as Query).format;
    if (format !== undefined && format !== 'har')
      throw ERR.BAD_QUERY({ subject: 'format', expected: 'har (or no format: JSON)', got: quote(typeof format === 'string' ? format : JSON.stringify(format)) });
    const page = cutPage(q.requests(oneMore(f)), f.first, (row) => row.id);
    if (format === 'har') return sendJsonStream(res, 200, harOf(q, page.rows, ctx.config.tlsCert ? 'https' : 'http'), nextPageHeaders(req, page.next));
    return sendJsonStream(res, 200, { requests: page.rows }, nextPageHeaders(req, page.next));
  });
  r.get('/requests/:id', takes([]), (req, res) => {
    const row = q.request(Number(req.params.id));
    if (!row) return sendError(res, 404, 'NOT_FOUND', `no request ${String(req.params.id)}`);
    const extra = modules.map(({ module, state }) => module.admin?.requestDetail?.(row, state, ctx) ?? {});
    sendJson(res, 200, { ...row, responseBody: row.responseBody?.toString('utf8') ?? null, ...Object.assign({}, ...extra) });
  });
  r.get('/requests/:id/layout', takes([]), (req, res) => {
    const layout = requestLayout(ctx, modules, Number(req.params.id));
    if (!layout) return sendError(res, 404, 'NOT_FOUND', `no request ${String(req.params.id)}`);
    sendJson(res, 200, layout);
  });
  r.get('/requests/:id/body', takes([]), (req, res) => {
    const body = q.requestBody(Number(req.params.id));
    if (!body) return sendError(res, 404, 'NOT_FOUND', `no request ${String(req.params.id)}`);
    sendDownload(res, body, 'application/octet-stream', `request-${Number(req.params.id)}-body.bin`);
  });
  for (const { module, state } of modules) {
    for (const route of module.admin?.routes ?? []) {
      r[route.method === 'GET' ? 'get' : 'post'](route.path, takes(route.params ?? []), (req, res) =>
        send(req, res, route.handle({ query: req.query, params: req.params as Record<string, string> }, state, ctx)),
      );
    }
  }
  r.get('/violations', takes(VIOLATION_PARAMS), (req, res) => {
    const f = violationFilter(req.query);
    const page = cutPage(f.findings ? q.findings(oneMore(f)) : [], f.first, (row) => row.id);
    const found: unknown[] = page.rows;
    if (f.expectations) for (const { module, state } of modules) found.push(...(module.admin?.violations?.(f, state, ctx) ?? []));
    return sendJsonStream(res, 200, { violations: found }, nextPageHeaders(req, page.next));
  });
  r.get('/conformance', takes(['format']), (req, res) => {
    const report = conformanceReport(ctx, modules);
    if ((req.query as Query).format === 'junit') return void res.status(200).set('content-type', 'application/xml; charset=utf-8').send(toJunit(report));
    sendJson(res, 200, report);
  });
  r.get('/wait', waitHandler(ctx, modules));
  let openApi: unknown;
  r.get('/openapi.json', takes([]), (_req, res) => sendJson(res, 200, (openApi ??= openApiDocument(PACKAGE_VERSION))));
  r.get('/metrics', takes([]), async (_req, res) => {
    if (!ctx.metrics) return sendError(res, 404, 'NOT_FOUND', 'this server keeps no metrics');
    const m = await ctx.metrics.text();
    res.status(200).set('content-type', m.contentType).send(m.body);
  });
  r.use(['/reset', '/scenario', '/clock'], takes([]));
  r.post('/reset', async (_req, res) => {
    await ctx.store.reset();
    ctx.engine.resetCounters();
    // INTERFACE.md section 5: reset also puts the clock back (to the scenario's clock.start, if any).
    ctx.clock.reset();
    ctx.engine.replace(ctx.engine.scenario);
    ctx.log.activity?.event('reset', {}, 'reset: captures cleared; rule counters and the clock back to the start');
    sendJson(res, 200, { status: 'ok' });
  });
  scenarioRoutes(r, ctx);
  clockRoutes(r, ctx);
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

/** Refuses query parameters the route does not take (a mistyped filter would else be ignored): 400 naming them. */
function takes(params: readonly string[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    onlyParams(req.query, params);
    next();
  };
}

function requireToken(token: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.headers.authorization === `Bearer ${token}`) return next();
    res.set('www-authenticate', 'Bearer');
    sendError(res, 401, 'UNAUTHORIZED', 'the admin API needs "Authorization: Bearer <token>" (--admin-token)');
  };
}

/** A module admin route's result as the HTTP answer (JSON written while it is produced). */
function send(req: Request, res: Response, result: AdminResult): Promise<void> | void {
  if ('notFound' in result) return sendError(res, 404, 'NOT_FOUND', result.notFound);
  if ('bytes' in result) return sendDownload(res, result.bytes, result.contentType);
  return sendJsonStream(res, 200, result.json, nextPageHeaders(req, result.next));
}

/** The next page's cursor, when there is one: `X-Next-Cursor: <id>` and `Link: <…&since=<id>>; rel="next"`. */
export function nextPageHeaders(req: Request, next: number | undefined): Record<string, string> {
  if (next === undefined) return {};
  const url = new URL(req.originalUrl, 'http://admin');
  url.searchParams.set('since', String(next));
  return { 'x-next-cursor': String(next), link: `<${url.pathname}${url.search}>; rel="next"` };
}
