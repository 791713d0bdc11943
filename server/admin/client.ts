// Typed client of the admin API (INTERFACE.md section 4), for tests: `mock.client`.

// The core's methods are here; each module adds its own (its `client` part), merged in by the constructor.

import type { AdminCall, Filters, ProtocolModule } from '../core/module';
import type { cerClient } from '../protocols/cer/client';
import { MODULES } from '../protocols/registry';
import type { Scenario } from '../protocols/scenario';
import type { sqmV2Client } from '../protocols/sqm-v2/client';
import type { V2MessageJson } from '../protocols/sqm-v2/admin';
import type { sessionsClient } from '../sessions/client';
import type { StoreHealth } from '../store/health';
import type { FindingRow, RequestRow } from '../store/queries';
import type { upstreamClient } from '../upstream/client';
import type { ConformanceReport } from './conformance';
import type { RequestQuery, ViolationQuery } from './filters';
import { toJson } from './json';
import type { CerReportJson, CerReportQuery } from '../protocols/cer/client';
import type { SessionJson, SessionQuery } from '../sessions/client';

export type { ConformanceReport, ConformanceClient, ConformanceEntry } from './conformance';

export type { CerReportJson, CerReportQuery, CerAuthQuery } from '../protocols/cer/client';
export type { SessionJson, SessionQuery } from '../sessions/client';
export type { RequestQuery, ViolationQuery } from './filters';
export type { Filters } from '../core/module';

/** A request as `GET /__admin/requests` lists it (the store's row, as JSON). */
export type RequestSummary = RequestRow;
/**
 * An entry of `GET /__admin/violations`: a finding (`kind` request or conversation), or with
 * `level=expectation` / `kind=expectation` an unmet expectation (then `id` is null).
 */
export type Violation = Omit<FindingRow, 'level' | 'kind' | 'id'> & { id: number | null; level: FindingRow['level'] | 'expectation'; kind: FindingRow['kind'] | 'expectation' };

/** What `waitFor(kind)` resolves with, per kind: the records of that kind's list route. */
export interface WaitRecords {
  request: RequestSummary;
  'sqm-session': SessionJson;
  'cer-report': CerReportJson;
  violation: Violation;
}
/** The filters each wait kind takes: those of its list route (`since`: only records after that id), `violation`'s all but `kind`. */
export interface WaitFilters {
  request: Omit<RequestQuery, 'limit'>;
  'sqm-session': Omit<SessionQuery, 'limit'>;
  'cer-report': Omit<CerReportQuery, 'limit'>;
  violation: Omit<ViolationQuery, 'kind' | 'limit'>;
}
export type WaitKind = keyof WaitRecords;
/** How long and for how many: `count` records (default 1) within `timeoutMs` (default 5000, at most 600000). */
export interface WaitOptions {
  count?: number;
  timeoutMs?: number;
}

/** What GET and POST /__admin/clock answer. */
export interface ClockJson {
  now: string;
  offsetSeconds: number;
}

export class WaitTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WaitTimeoutError';
  }
}

export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`admin API ${status} ${code}: ${message}`);
    this.name = 'AdminApiError';
  }
}

/** The registry modules' client methods, typed (one line per module that has some). */
type ModuleMethods = ReturnType<typeof sessionsClient> & ReturnType<typeof sqmV2Client> & ReturnType<typeof cerClient> & ReturnType<typeof upstreamClient>;

// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface AdminClient extends ModuleMethods {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class AdminClient {
  /** @param opts.modules the server's modules, whose client methods this client gets (default: the registry's) */
  constructor(
    readonly baseUrl: string,
    private readonly opts: { token?: string; modules?: readonly ProtocolModule[] } = {},
  ) {
    const api: AdminCall = { json: (m, p, q, b) => this.json(m, p, q, b), bytes: (p, notFound) => this.bytes(p, notFound), list: (p, k, q) => this.list(p, k, q) };
    for (const m of opts.modules ?? MODULES) Object.assign(this, m.client?.(api));
  }

  /** A binary admin resource; a 404 or other failure throws AdminApiError with `notFound`. */
  private async bytes(path: string, notFound: string): Promise<Buffer> {
    const res = await this.call('GET', path);
    if (!res.ok) throw new AdminApiError(res.status, 'NOT_FOUND', notFound);
    return Buffer.from(await res.arrayBuffer());
  }

  private async call(method: string, path: string, q: Filters = {}, body?: string): Promise<Response> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    const headers: Record<string, string> = {};
    if (this.opts.token) headers.authorization = `Bearer ${this.opts.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${this.baseUrl}/__admin${path}${qs ? '?' + qs : ''}`, { method, headers, body });
  }

  private async json<T>(method: string, path: string, q?: Filters, body?: string): Promise<T> {
    return (await this.answer<T>(method, path, q, body)).data;
  }

  private async answer<T>(method: string, path: string, q?: Filters, body?: string): Promise<{ data: T; next: string | null }> {
    const res = await this.call(method, path, q, body);
    const data = (await res.json()) as T & { error?: { code: string; message: string } };
    if (!res.ok) {
      if (res.status === 408) throw new WaitTimeoutError(data.error?.message ?? 'wait timed out');
      throw new AdminApiError(res.status, data.error?.code ?? 'UNKNOWN', data.error?.message ?? res.statusText);
    }
    return { data, next: res.headers.get('x-next-cursor') };
  }

  /** Every page of a list route (INTERFACE.md section 4: without `limit`, a page and the next cursor). */
  private async list<T>(path: string, key: string, q: Filters = {}): Promise<T[]> {
    const all: T[] = [];
    for (let since = q.since; ;) {
      const { data, next } = await this.answer<Record<string, T[]>>('GET', path, { ...q, since });
      all.push(...data[key]);
      if (next === null || q.limit !== undefined) return all;
      since = next;
    }
  }

  /**
   * `{status: 'ok'}`, or `{status: 'degraded', reason, since}` (answered with 503) while captures cannot be committed.
   * @example expect(await mock.client.health()).toEqual({ status: 'ok' });
   */
  health = async (): Promise<StoreHealth> => {
    const res = await this.call('GET', '/health');
    const data = (await res.json()) as StoreHealth & { error?: { code: string; message: string } };
    if (!res.ok && data.status !== 'degraded') throw new AdminApiError(res.status, data.error?.code ?? 'UNKNOWN', data.error?.message ?? res.statusText);
    return data;
  };
  /**
   * Requests, oldest first (every page unless `limit` is given).
   * @example const [r] = await mock.client.requests({ protocol: 'sqm-v1', status: 201 }); r.ruleName
   */
  requests = (f: RequestQuery = {}) => this.list<RequestSummary>('/requests', 'requests', f);
  /**
   * One request with its headers and the answer sent (and, for SQM v2, its XML and every arg).
   * @example const r = await mock.client.request(1); r.responseHeaders['content-type']
   */
  request = (id: number) =>
    this.json<
      RequestSummary & {
        headers: [string, string][];
        responseHeaders: Record<string, string | string[]>;
        responseBody: string | null;
        requestXml?: string | null;
        message?: V2MessageJson | null;
      }
    >('GET', `/requests/${id}`);
  /**
   * A request's body, byte for byte as received.
   * @example expect(await mock.client.requestBody(1)).toEqual(session);
   */
  requestBody = (id: number): Promise<Buffer> => this.bytes(`/requests/${id}/body`, `no request ${id}`);
  /**
   * Violations (every page unless `limit` is given); `level: 'all'` adds info findings, `kind: 'expectation'` unmet expectations.
   * @example expect(await mock.client.violations({ protocol: 'sqm-v1' })).toEqual([]);
   */
  violations = (f: ViolationQuery = {}) => this.list<Violation>('/violations', 'violations', f);
  /**
   * Resolves when `count` matching records of `kind` exist, with them, typed by kind; throws WaitTimeoutError after timeoutMs.
   * @example const [session] = await mock.client.waitFor('sqm-session', { partner: 'windows', timeoutMs: 5000 }); session.header.clientUniqueIdentifier
   */
  async waitFor<K extends WaitKind>(kind: K, opts: WaitOptions & WaitFilters[K] = {}): Promise<WaitRecords[K][]> {
    return (await this.json<{ records: WaitRecords[K][] }>('GET', '/wait', { kind, ...(opts as Filters) })).records;
  }
  /**
   * Empties the store, restarts the scenario's counters, the conversation state and the clock; the scenario stays.
   * @example afterEach(() => mock.client.reset());
   */
  reset = () => this.json<{ status: string }>('POST', '/reset');
  /**
   * The conformance report (INTERFACE.md section 5): every client, its conversation violations and unmet expectations.
   * @example expect((await mock.client.conformance()).summary.violations).toBe(0);
   */
  conformance = () => this.json<ConformanceReport>('GET', '/conformance');
  /**
   * The same report as JUnit XML (one testsuite per protocol, one testcase per rule checked per client).
   * @example fs.writeFileSync('conformance.xml', await mock.client.conformanceJunit());
   */
  async conformanceJunit(): Promise<string> {
    return (await this.bytes('/conformance?format=junit', 'no conformance report')).toString('utf8');
  }
  /**
   * The mock's clock (INTERFACE.md section 5): real time plus the offset tests control.
   * @example const { now, offsetSeconds } = await mock.client.clock();
   */
  clock = () => this.json<ClockJson>('GET', '/clock');
  /**
   * Moves the mock's clock on by `seconds` (a 7-day throttle: 7 * 86400).
   * @example await mock.client.advanceClock(7 * 86400);
   */
  advanceClock = (seconds: number) => this.json<ClockJson>('POST', '/clock', {}, JSON.stringify({ advanceSeconds: seconds }));
  /**
   * Sets the mock's clock to an instant (an ISO 8601 string or a Date).
   * @example await mock.client.setClock('2030-01-01T00:00:00Z');
   */
  setClock = (at: string | Date) => this.json<ClockJson>('POST', '/clock', {}, JSON.stringify({ set: typeof at === 'string' ? at : at.toISOString() }));
  /**
   * The running scenario.
   * @example expect((await mock.client.scenario()).name).toBe('throttle');
   */
  scenario = () => this.json<Scenario>('GET', '/scenario');
  /**
   * Replaces the running scenario (an object is sent as JSON; a string as is, YAML or JSON); `{}` is the built-in happy path.
   * @example await mock.client.setScenario({ rules: [{ when: { protocol: 'sqm-v1' }, respond: { status: 503 } }] });
   */
  setScenario = (s: Scenario | string) => this.json<Scenario>('PUT', '/scenario', {}, typeof s === 'string' ? s : toJson(s));
}
