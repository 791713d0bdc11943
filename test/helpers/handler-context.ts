// Plain inputs for route-handler unit tests: a WireRequest from {method, url, body, headers}, and a
// MockContext with a real ScenarioEngine, a temp fileshare and a store that throws when touched.

import { Clock } from '../../server/scenario/clock';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveConfig, type MockOptions } from '../../server/config';
import type { MockContext } from '../../server/context';
import type { Outcome, WireRequest } from '../../server/core/types';
import { createLogger } from '../../server/log';
import { ScenarioSchema, validateScenario } from '../../server/protocols/scenario';
import { ScenarioEngine } from '../../server/scenario/engine';
import type { CaptureRecord, CaptureRow, Store } from '../../server/store';

export interface RequestInit {
  method?: string;
  url: string;
  /** The request-target as sent, when it is not `url` (absolute-form, or a marked target). */
  target?: string;
  body?: Buffer | string;
  headers?: Record<string, string>;
  listener?: string;
  /** As the dispatcher marks a body over the route's limit (only its prefix kept). */
  truncated?: boolean;
  /** The size the client sent (default: the body's length). */
  bodySize?: number;
  /** The TCP connection (default `main#1`: every request of a test on one keep-alive connection). */
  connectionId?: string;
  /** The request line's version (default "1.1"). */
  httpVersion?: string;
}

/** A WireRequest as server/http/dispatch.ts builds it (requestHead + the read body). */
export function wireRequest(init: RequestInit): WireRequest {
  const url = init.url;
  const q = url.indexOf('?');
  const body = typeof init.body === 'string' ? Buffer.from(init.body, 'utf8') : (init.body ?? Buffer.alloc(0));
  const rawHeaders = Object.entries(init.headers ?? {});
  return {
    listener: init.listener ?? 'main',
    method: init.method ?? 'POST',
    target: init.target ?? url,
    url,
    pathname: q < 0 ? url : url.slice(0, q),
    query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
    headers: Object.fromEntries(rawHeaders.map(([k, v]) => [k.toLowerCase(), v])),
    rawHeaders,
    httpVersion: init.httpVersion ?? '1.1',
    remoteAddress: '127.0.0.1',
    connectionId: init.connectionId ?? 'main#1',
    receivedAt: new Date(),
    body,
    bodySize: init.bodySize ?? body.length,
    bodyTruncated: init.truncated ?? false,
    bodySha256: createHash('sha256').update(body).digest('hex'),
  };
}

/** A Store stand-in: any use of it throws (handlers get their state, never the store). */
export const untouchableStore = new Proxy(
  {},
  {
    get: (_t, key) => {
      if (typeof key === 'symbol') return undefined;
      throw new Error(`handler touched ctx.store.${key}`);
    },
    set: (_t, key) => {
      throw new Error(`handler wrote ctx.store.${String(key)}`);
    },
    has: (_t, key) => {
      throw new Error(`handler probed ctx.store for ${String(key)}`);
    },
  },
) as unknown as Store;

const tempDirs: string[] = [];

/** Removes the fileshares of every context made so far (call in afterAll). */
export function removeTempDirs(): void {
  for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

export interface HandlerContext extends MockContext {
  /** The temp directory given as --fileshare. */
  fileshare: string;
}

/** A context over `scenario` (validated by the registry's schema); `options` go to resolveConfig. */
export function handlerContext(scenario: unknown = {}, options: MockOptions = {}): HandlerContext {
  const fileshare = fs.mkdtempSync(path.join(os.tmpdir(), 'handler-fileshare-'));
  tempDirs.push(fileshare);
  const clock = new Clock();
  return {
    config: resolveConfig({ fileshare, quiet: true, ...options }),
    store: untouchableStore,
    engine: new ScenarioEngine(validateScenario(scenario, 'test scenario'), ScenarioSchema, clock),
    clock,
    log: createLogger({ quiet: true }),
    shutdown: new AbortController().signal,
    fileshare,
  };
}

/** What the dispatcher would commit for this request and outcome (to feed a memory state's apply). */
export function captureOf(req: WireRequest, o: Outcome): CaptureRecord {
  return {
    request: {
      receivedAt: req.receivedAt,
      listener: req.listener,
      protocol: o.protocol,
      method: req.method,
      path: req.url,
      headers: req.rawHeaders,
      httpVersion: req.httpVersion,
      remoteAddress: req.remoteAddress,
      body: req.body,
      bodySize: req.bodySize,
      bodyTruncated: req.bodyTruncated,
      bodySha256: req.bodySha256,
      status: o.answer.status,
      responseHeaders: o.answer.headers,
      responseBody: o.answer.body.length ? o.answer.body : undefined,
      ruleName: o.ruleName ?? null,
      partner: o.partner ?? null,
      reason: o.answer.reason ?? null,
      durationMs: 0,
    },
    rows: o.rows,
    findings: o.findings,
  };
}

/** The statement names of an outcome's rows, children after their parent. */
/** The statements of the protocol's own rows (conversation rows apart: see conversationRows). */
export const stmts = (o: Pick<Outcome, 'rows'>): string[] => (o.rows ?? []).map((r) => r.stmt).filter((s) => !s.startsWith('conversation:'));

/** The conversation rows (setups and met expectations): [kind or 'meet', params]. */
export const conversationRows = (o: Pick<Outcome, 'rows'>): CaptureRow[] => (o.rows ?? []).filter((r) => r.stmt.startsWith('conversation:'));

/** The rows of one statement. */
export const rowsOf = (o: Pick<Outcome, 'rows'>, stmt: string): CaptureRow[] => (o.rows ?? []).filter((r) => r.stmt === stmt);

/** [rule, specRef, level] of each finding, to compare without message text. */
export const ruleRefs = (o: Pick<Outcome, 'findings'>): [string, string, string][] =>
  (o.findings ?? []).filter((f) => f.kind !== 'conversation').map((f) => [f.rule, f.specRef, f.level]);

/** The body as text (CER answers are windows-1252; latin1 agrees on what the tests send). */
export const text = (o: Outcome): string => o.answer.body.toString('latin1');
