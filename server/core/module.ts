// The protocol module contract: what one protocol folder's index.ts exports, and all the rest of
// the server knows of it. Dispatch, capture, reset, the scenario schema and the admin API loop over
// the registry (registry.ts) of these; nothing outside a protocol's folder names its tables or fields.

import type { z } from 'zod';
import type { MockContext } from '../context';
import type { CapturePart, Store } from '../store';
import type { PlainStyle } from './answer';
import type { LazyList, Query } from './query';
import type { ByteRange } from '../wire/layout';
import type { Outcome, RequestHead, WireRequest } from './types';
import type { MatchKey } from '../scenario/types';

/** What is kept of a body no route takes (README "Body limits"), whatever the method: the unknown route, a PUT to a path never issued. */
export const UNKNOWN_ROUTE_LIMIT = 1024 * 1024;

/** One way in: which requests it takes, how much body it keeps, and how it answers. */
export interface ProtocolRoute<S = unknown> {
  /** The protocol name recorded with each request (INTERFACE.md section 3). */
  name: string;
  /** Only on these listeners (default: main and cer; the relay listener has routes of its own). */
  listeners?: readonly string[];
  /**
   * The `when` keys (besides protocol, method, path) its requests have facts for: a rule for this
   * protocol naming another key can never match and is refused when the scenario is loaded.
   */
  matchKeys?: readonly MatchKey[];
  /** Decides from the request head alone (method, path, query, headers). */
  claims(head: RequestHead): boolean;
  /** How many body bytes to keep whole (the largest of the routes that claim a head is read). */
  bodyLimit(head: RequestHead, ctx: MockContext, state: S): number;
  /**
   * An over-limit body is handed over as `req.bodyStream` (the whole body, as it arrives) instead
   * of being drained; only when this route is the one claimant (the relay on its listener).
   */
  streamsOverLimit?: boolean;
  /** Tried only after every other route (catch-alls: the CER level-2 PUT, the unknown route). */
  fallback?: boolean;
  /**
   * How the dispatcher's own plain answers on this route are written (the 503 of a full body budget
   * or of a failed capture): CER answers in windows-1252, say. Default UTF-8 text.
   */
  textStyle?: PlainStyle;
  /** After the body is read, among routes claiming the same head: the first that accepts handles it. */
  accepts?(req: WireRequest): boolean;
  handle(req: WireRequest, ctx: MockContext, state: S): Outcome | Promise<Outcome>;
}

/**
 * What an admin route returns; the admin router turns it into the HTTP answer. `json` may hold
 * LazyLists (written as they are produced); `next` is the cursor of a list's next page.
 */
export type AdminResult = { json: unknown; next?: number } | { bytes: Buffer; contentType: string } | { notFound: string };

export interface AdminRoute<S = unknown> {
  method: 'GET' | 'POST';
  /** Express path under /__admin, e.g. `/cer/reports/:id/cab`. */
  path: string;
  /** The query parameters it takes; any other is refused with 400 (default: none). */
  params?: readonly string[];
  handle(req: { query: Query; params: Record<string, string> }, state: S, ctx: MockContext): AdminResult;
}

/** A kind of record GET /__admin/wait can wait for: a cheap count after every commit, records once enough. */
export type WaitKind<S = unknown> = (query: Query, state: S, ctx: MockContext) => { count(): number; records(): unknown[] | LazyList };

export interface AdminPart<S = unknown> {
  routes?: readonly AdminRoute<S>[];
  waitKinds?: Record<string, WaitKind<S>>;
  /** Per wait kind, the filter parameters it takes besides the wait's own (kind, count, timeoutMs); default none. */
  waitParams?: Record<string, readonly string[]>;
  /** Entries this module adds to GET /__admin/violations when they are asked for (unmet expectations). */
  violations?(filter: { clientKey?: string; protocol?: string; rule?: string; requestId?: number }, state: S, ctx: MockContext): unknown[];
  /** Fields this module adds to GET /__admin/requests/:id for one of its requests. */
  requestDetail?(request: { id: number; protocol: string }, state: S, ctx: MockContext): Record<string, unknown> | undefined;
  /** Byte ranges of the decoded fields of one of its requests (GET /__admin/requests/:id/layout). */
  layout?(request: { id: number; protocol: string; body: Buffer }, state: S, ctx: MockContext): LayoutPart | undefined;
}

/** What a module says of where a request's decoded fields lie in its body. */
export interface LayoutPart {
  ranges: ByteRange[];
  /** Entries (data points, stream entries, XML parts) past the layout's limits, not listed. */
  omitted?: number;
  /** SQM sessions stored from this request and where each starts in the body (null: not a slice of it, e.g. a compressed v2 payload). */
  sessions?: { id: number; bodyOffset: number | null }[];
}

export type Filters = Record<string, string | number | undefined>;

/** What a module's client methods call: the typed admin client's JSON and bytes requests. */
export interface AdminCall {
  json<T>(method: string, path: string, q?: Filters, body?: string): Promise<T>;
  /** A binary resource; throws with `notFound` when it is not there. */
  bytes(path: string, notFound: string): Promise<Buffer>;
  /**
   * A list route's `key` array: with `limit` in `q`, that one answer; without, every page, following
   * the `X-Next-Cursor` of each answer (so nothing is missed past the default page).
   */
  list<T>(path: string, key: string, q?: Filters): Promise<T[]>;
}

/** The module's parts of the scenario document (each key → its zod schema). */
export interface ScenarioParts {
  /** Keys of a rule's `respond` (e.g. `cer`, `v2`, `sqm`). */
  respond?: Record<string, z.ZodType>;
  /** Top-level keys (e.g. `cer`, `ceip`, `tokens`). */
  scenario?: Record<string, z.ZodType>;
  /** Keys of `partners.<name>` (e.g. `manifest`). */
  partner?: Record<string, z.ZodType>;
}

export interface ProtocolModule<S = unknown> {
  /** The module's name: its folder, and the prefix of its capture statements. */
  name: string;
  routes?: readonly ProtocolRoute<S>[];
  scenario?: ScenarioParts;
  /** Its tables: statements for its capture rows, what reset empties, migrations. */
  capture?: CapturePart;
  /** Its state over the store (SQLite); handlers and admin routes get it as their `state`. */
  openState?(store: Store): S;
  admin?: AdminPart<S>;
  /** The conversation rules (INTERFACE.md section 5) it checks, by protocol name: the JUnit report's test cases. */
  conversationRules?: Record<string, readonly string[]>;
  /** Its methods of the typed admin client (AdminClient), over the client's requests. */
  client?(api: AdminCall): object;
}

/** Declares a module with its state type checked, erased for the registry. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const defineModule = <S>(m: ProtocolModule<S>): ProtocolModule<any> => m;

/** A module with its state opened, as the server runs it. */
export interface OpenModule {
  module: ProtocolModule;
  state: unknown;
}

/** Opens every module's state over the store (start.ts, once per server). */
export const openModules = (modules: readonly ProtocolModule[], store: Store): OpenModule[] => modules.map((module) => ({ module, state: module.openState?.(store) }));
