// The protocol side of a listener: read the body, let the route decide, capture, then answer
// (after the scenario's delay, or as its fault). The capture is committed before any byte goes out.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MockContext } from '../context';
import type { OpenModule, ProtocolRoute } from '../core/module';
import { textAnswer, type Outcome, type RequestHead, type WireRequest } from '../core/types';
import { deliver, faultStatus, sendAnswer } from '../faults';
import type { CaptureRecord } from '../store';
import { readBody } from './body';

interface BoundRoute {
  route: ProtocolRoute;
  state: unknown;
}

const DEFAULT_LISTENERS = ['main', 'cer'];

/** The routes a listener serves, in registry order, fallback routes last. */
export function routesFor(modules: readonly OpenModule[], listener: string): BoundRoute[] {
  const bound = modules.flatMap(({ module, state }) =>
    (module.routes ?? []).filter((r) => (r.listeners ?? DEFAULT_LISTENERS).includes(listener)).map((route) => ({ route, state })),
  );
  return [...bound.filter((b) => !b.route.fallback), ...bound.filter((b) => b.route.fallback)];
}

export function requestHead(req: IncomingMessage, listener: string, receivedAt = new Date()): RequestHead {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawHeaders: [string, string][] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) rawHeaders.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
  return {
    listener,
    method: req.method ?? 'GET',
    url,
    pathname: q < 0 ? url : url.slice(0, q),
    query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
    headers: req.headers,
    rawHeaders,
    remoteAddress: req.socket.remoteAddress,
    receivedAt,
  };
}

export function createDispatcher(ctx: MockContext, listener: string, modules: readonly OpenModule[]) {
  const routes = routesFor(modules, listener);
  if (routes.length === 0) throw new Error(`no protocol route serves the ${listener} listener`);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const head = requestHead(req, listener, ctx.clock.now());
    const claimants = routes.filter((r) => r.route.claims(head));
    if (claimants.length === 0) claimants.push(routes[routes.length - 1]);
    const limit = Math.max(...claimants.map((c) => c.route.bodyLimit(head, ctx, c.state)));
    const body = await readBody(req, limit);
    const wire: WireRequest = { ...head, body: body.body, bodySize: body.size, bodyTruncated: body.truncated, bodySha256: body.sha256 };
    const { route, state } = claimants.find((c) => c.route.accepts?.(wire) ?? true) ?? claimants[claimants.length - 1];
    let outcome: Outcome;
    try {
      outcome = body.aborted
        ? { protocol: route.name, answer: { ...textAnswer(499, 'client closed the connection before the body ended'), status: -1 } }
        : await route.handle(wire, ctx, state);
    } catch (e) {
      ctx.log.error(`${route.name} handler failed on ${head.method} ${head.url}: ${(e as Error).message}`);
      outcome = { protocol: route.name, answer: textAnswer(500, `internal error in the ${route.name} handler (logged)`) };
    }
    let requestId: number;
    try {
      requestId = (await ctx.store.capture(captureRecord(wire, outcome, performance.now() - started))).requestId;
    } catch (e) {
      ctx.log.error(`capture failed for ${head.method} ${head.url}: ${(e as Error).message}`);
      if (!res.headersSent && !body.aborted) sendAnswer(res, textAnswer(500, 'capture store failed: the upload was not recorded'));
      return;
    }
    if (body.aborted) return;
    const delivery = outcome.delivery ?? { delayMs: 0, faultSeed: 0 };
    await deliver(res, outcome.answer, delivery, ctx.shutdown, { 'x-mock-request-id': requestId });
  };
}

function captureRecord(wire: WireRequest, o: Outcome, durationMs: number): CaptureRecord {
  return {
    request: {
      receivedAt: wire.receivedAt,
      listener: wire.listener,
      protocol: o.protocol,
      method: wire.method,
      path: wire.url,
      headers: wire.rawHeaders,
      remoteAddress: wire.remoteAddress,
      body: wire.body,
      bodySize: wire.bodySize,
      bodyTruncated: wire.bodyTruncated,
      bodySha256: wire.bodySha256,
      status: faultStatus(o.delivery?.fault, o.answer),
      fault: o.delivery?.fault ?? null,
      delayMs: o.delivery?.delayMs ?? 0,
      responseHeaders: o.answer.headers,
      responseBody: o.answer.body.length ? o.answer.body : undefined,
      ruleName: o.ruleName ?? null,
      clientKey: o.clientKey ?? null,
      partner: o.partner ?? null,
      reason: o.answer.reason ?? null,
      durationMs,
    },
    rows: o.rows,
    findings: o.findings,
  };
}
