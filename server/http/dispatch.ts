// The protocol side of a listener: read the body, let the route decide, capture, then answer
// (after the scenario's delay, or as its fault). The capture is committed before any byte goes out.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MockContext } from '../context';
import type { OpenModule, ProtocolRoute } from '../core/module';
import { styledText, type PlainStyle } from '../core/answer';
import { textAnswer, type BodyStream, type Outcome, type RequestHead, type WireRequest } from '../core/types';
import { deliver, faultStatus, sendAnswer } from '../faults';
import { describeStoreError, type CaptureRecord } from '../store';
import type { BudgetEntry } from '../limits/body-budget';
import type { RequestLogEntry } from '../log';
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

export function requestHead(req: IncomingMessage, listener: string, receivedAt = new Date(), connectionId?: string): RequestHead {
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
    httpVersion: req.httpVersion,
    remoteAddress: req.socket.remoteAddress,
    receivedAt,
    connectionId,
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
    const head = requestHead(req, listener, ctx.clock.now(), connectionOf(req.socket));
    const claimants = routes.filter((r) => r.route.claims(head));
    if (claimants.length === 0) claimants.push(routes[routes.length - 1]);
    const limit = Math.max(...claimants.map((c) => c.route.bodyLimit(head, ctx, c.state)));
    const entry = ctx.bodyBudget ? await ctx.bodyBudget.enter() : undefined;
    // Refused before its body is read: answered and recorded as the first route that claims its head.
    if (entry === null) return refuseOverBudget(ctx, { head, route: claimants[0].route, res, started });
    let captured: Captured | null;
    try {
      captured = await readAndCapture(ctx, { req, res, head, claimants, limit, started, entry });
    } finally {
      // The body's bytes are in the store now (or lost with the request): they leave the budget
      // before any delay or hung answer of the scenario.
      entry?.release();
    }
    if (!captured) return;
    const delivery = captured.outcome.delivery ?? { delayMs: 0, faultSeed: 0 };
    await deliver(res, captured.outcome.answer, delivery, ctx.shutdown, { 'x-mock-request-id': captured.requestId });
  };
}

interface Captured {
  outcome: Outcome;
  requestId: number;
}

interface Reading {
  req: IncomingMessage;
  res: ServerResponse;
  head: RequestHead;
  claimants: BoundRoute[];
  limit: number;
  started: number;
  entry: BudgetEntry | undefined;
}

/** Reads the body, lets the route answer, captures; null when there is nothing to send (aborted, capture failed). */
async function readAndCapture(ctx: MockContext, r: Reading): Promise<Captured | null> {
  const { head, res } = r;
  const streams = r.claimants.length === 1 && r.claimants[0].route.streamsOverLimit === true;
  const body = await readBody(r.req, r.limit, { streamOverLimit: streams }, r.entry);
  // The head becomes the request (no copy of its fields: this runs for every upload).
  const wire: WireRequest = Object.assign(head, { body: body.body, bodySize: body.size, bodyTruncated: body.truncated, bodySha256: body.sha256, bodyStream: body.stream });
  const { route, state } = r.claimants.find((c) => c.route.accepts?.(wire) ?? true) ?? r.claimants[r.claimants.length - 1];
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
  const aborted = body.aborted || outcome.answer.status === -1;
  const requestId = await captureOr500(ctx, { res, wire, outcome, started: r.started, answer: !aborted, style: route.textStyle });
  return aborted || requestId === null ? null : { outcome, requestId };
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

/** Commits the capture; on failure logs it, answers 503 when `answer`, and gives null. */
async function captureOr500(
  ctx: MockContext,
  c: { res: ServerResponse; wire: WireRequest; outcome: Outcome; started: number; answer: boolean; style?: PlainStyle },
): Promise<number | null> {
  try {
    const record = captureRecord(c.wire, c.outcome, performance.now() - c.started);
    const t = performance.now();
    const { requestId } = await ctx.store.capture(record);
    ctx.metrics?.captured(record, performance.now() - t);
    ctx.log.activity?.request(requestLogEntry(record, requestId));
    return requestId;
  } catch (e) {
    ctx.metrics?.captureFailed();
    const reason = describeStoreError(e);
    ctx.log.error(`capture failed for ${c.wire.method} ${c.wire.url}: ${reason}`);
    undoOutcome(ctx, c.outcome);
    // 503: the store recovers by itself (disk space back, writer restarted); the client may retry.
    const headers = { 'retry-after': '5', ...(c.outcome.answer.headers.connection ? { connection: 'close' } : {}) };
    if (!c.res.headersSent && c.answer) sendAnswer(c.res, styledText(503, `capture store failed (${reason}): the upload was not recorded`, c.style ?? {}, headers));
    return null;
  }
}

/** The outcome was not stored: what its handler took is given back, so the client's retry is taken anew. */
function undoOutcome(ctx: MockContext, o: Outcome): void {
  try {
    o.onCaptureFailed?.();
  } catch (e) {
    ctx.log.error(`undoing the ${o.protocol} outcome after a failed capture failed: ${(e as Error).message}`);
  }
}

/** Seconds a client refused for the body budget is asked to wait (RFC 9110 10.2.3). */
export const BUDGET_RETRY_AFTER_S = 5;

/**
 * No room in the body budget within its wait: 503 with Retry-After, captured (without the body,
 * which was never read); the connection is closed after the answer, since the body was not drained.
 */
async function refuseOverBudget(ctx: MockContext, r: { head: RequestHead; route: ProtocolRoute; res: ServerResponse; started: number }): Promise<void> {
  const budget = ctx.bodyBudget!;
  const mib = (budget.limitBytes / (1 << 20)).toFixed(0);
  const text = `the mock holds ${mib} MiB of request bodies already (--max-inflight-body-mb): retry later`;
  const answer = styledText(503, text, r.route.textStyle ?? {}, { 'retry-after': String(BUDGET_RETRY_AFTER_S), connection: 'close' });
  const wire: WireRequest = { ...r.head, body: Buffer.alloc(0), bodySize: 0, bodyTruncated: false, bodySha256: '' };
  const outcome: Outcome = { protocol: r.route.name, answer };
  const requestId = await captureOr500(ctx, { res: r.res, wire, outcome, started: r.started, answer: true, style: r.route.textStyle });
  if (requestId !== null) await deliver(r.res, answer, { delayMs: 0, faultSeed: 0 }, ctx.shutdown, { 'x-mock-request-id': requestId });
}
function requestLogEntry({ request: r, findings }: CaptureRecord, requestId: number): RequestLogEntry {
  return {
    listener: r.listener,
    method: r.method,
    path: r.path,
    protocol: r.protocol,
    status: r.status,
    fault: r.fault ?? null,
    rule: r.ruleName ?? null,
    findings: findings?.length ?? 0,
    ms: r.durationMs,
    requestId,
  };
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
      httpVersion: wire.httpVersion,
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
