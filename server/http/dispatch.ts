// The protocol side of a listener: read the body, let the route decide, capture, then answer
// (after the scenario's delay, or as its fault). The capture is committed before any byte goes out.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MockContext } from '../context';
import type { OpenModule, ProtocolRoute } from '../core/module';
import { textAnswer, type BodyStream, type Outcome, type RequestHead, type WireRequest } from '../core/types';
import { deliver, faultStatus, sendAnswer } from '../faults';
import type { CaptureRecord } from '../store';
import { readBody } from './body';
import { originForm } from './request-target';
import { requestTarget } from './target-socket';

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
  const target = requestTarget(req);
  const url = originForm(target);
  const q = url.indexOf('?');
  const rawHeaders: [string, string][] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) rawHeaders.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
  return {
    listener,
    method: req.method ?? 'GET',
    target,
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
  // One id per TCP connection of this listener (keep-alive requests share it): NTLM authenticates a connection.
  const connections = new WeakMap<object, string>();
  let connectionCount = 0;
  const connectionOf = (socket: object): string => {
    const known = connections.get(socket);
    if (known) return known;
    const id = `${listener}#${++connectionCount}`;
    connections.set(socket, id);
    return id;
  };
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const head = { ...requestHead(req, listener, ctx.clock.now()), connectionId: connectionOf(req.socket) };
    const claimants = routes.filter((r) => r.route.claims(head));
    if (claimants.length === 0) claimants.push(routes[routes.length - 1]);
    const limit = Math.max(...claimants.map((c) => c.route.bodyLimit(head, ctx)));
    const streams = claimants.length === 1 && claimants[0].route.streamsOverLimit === true;
    const body = await readBody(req, limit, { streamOverLimit: streams });
    const wire: WireRequest = { ...head, body: body.body, bodySize: body.size, bodyTruncated: body.truncated, bodySha256: body.sha256, bodyStream: body.stream };
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
    if (body.stream) outcome = await afterStream(body.stream, wire, outcome);
    let requestId: number;
    try {
      requestId = (await ctx.store.capture(captureRecord(wire, outcome, performance.now() - started))).requestId;
    } catch (e) {
      ctx.log.error(`capture failed for ${head.method} ${head.url}: ${(e as Error).message}`);
      if (!res.headersSent && !body.aborted) sendAnswer(res, textAnswer(500, 'capture store failed: the upload was not recorded'));
      return;
    }
    if (body.aborted || outcome.answer.status === -1) return;
    const delivery = outcome.delivery ?? { delayMs: 0, faultSeed: 0 };
    await deliver(res, outcome.answer, delivery, ctx.shutdown, { 'x-mock-request-id': requestId });
  };
}

/** A streamed body ends here whatever the route did with it: its totals go into the capture. */
async function afterStream(stream: BodyStream, wire: WireRequest, outcome: Outcome): Promise<Outcome> {
  stream.discard();
  const totals = await stream.done;
  wire.bodySize = totals.size;
  wire.bodySha256 = totals.sha256;
  if (!totals.aborted) return outcome;
  return { ...outcome, answer: { ...textAnswer(499, 'client closed the connection before the body ended'), status: -1 } };
}

function captureRecord(wire: WireRequest, o: Outcome, durationMs: number): CaptureRecord {
  return {
    request: {
      receivedAt: wire.receivedAt,
      listener: wire.listener,
      protocol: o.protocol,
      method: wire.method,
      path: wire.target,
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
