// Typed client of the admin API (INTERFACE.md section 4), for tests: `mock.client`.

import type { CerBucketRow } from '../protocols/cer/state';
import type { presentCerReport } from '../protocols/cer/present';
import type { Scenario } from '../protocols/scenario';
import type { TokenRow } from '../protocols/sqm-v2/state';
import type { FindingRow, RequestRow } from '../store/queries';

/** A CER report as `GET /__admin/cer/reports` shows it. */
export type CerReportJson = ReturnType<typeof presentCerReport>;
import { toJson } from './json';

/** A request as `GET /__admin/requests` lists it (the store's row, as JSON). */
export type RequestSummary = RequestRow;
/** A finding as `GET /__admin/violations` lists it. */
export type Violation = FindingRow;

/** A session as the admin API shows it (64-bit values as decimal strings). */
export interface SessionJson {
  id: number;
  requestId: number;
  receivedAt: string;
  protocolVersion: number;
  partner: string | null;
  accepted: boolean;
  compressed: boolean;
  header: Record<string, unknown> & { clientUniqueIdentifier: string; manifestVersion: number; flags: number; internalFlags: number };
  sections: Array<{
    index: number;
    type: number;
    typeName: 'dword' | 'qword' | 'string' | 'stream' | 'raw';
    offset: number;
    length: number;
    layout?: 'document' | 'windows';
    datapoints?: Array<{ id: number; value: number | string; tickCount: number; stringLength?: number }>;
    streams?: Array<{ streamIdentifier: number; countPerRecord: number; countRecords: number; entriesRead: number; entries: Array<{ entryType: number; entryTypeName: string; tickCount: number; value: number | string }> }>;
    raw?: string;
    reason?: string;
  }>;
  findings: Array<Pick<Violation, 'level' | 'rule' | 'specRef' | 'message' | 'offset'>>;
  context?: unknown;
}

export type Filters = Record<string, string | number | undefined>;
export type WaitKind = 'request' | 'sqm-session' | 'cer-report' | 'violation';

export class WaitTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WaitTimeoutError';
  }
}

export class AdminApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(`admin API ${status} ${code}: ${message}`);
    this.name = 'AdminApiError';
  }
}

export class AdminClient {
  constructor(readonly baseUrl: string, private readonly opts: { token?: string } = {}) {}

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
    const res = await this.call(method, path, q, body);
    const data = (await res.json()) as T & { error?: { code: string; message: string } };
    if (!res.ok) {
      if (res.status === 408) throw new WaitTimeoutError(data.error?.message ?? 'wait timed out');
      throw new AdminApiError(res.status, data.error?.code ?? 'UNKNOWN', data.error?.message ?? res.statusText);
    }
    return data;
  }

  health = () => this.json<{ status: string }>('GET', '/health');
  requests = async (f: Filters = {}) => (await this.json<{ requests: RequestSummary[] }>('GET', '/requests', f)).requests;
  request = (id: number) =>
    this.json<RequestSummary & { headers: [string, string][]; responseHeaders: Record<string, string>; responseBody: string | null; requestXml?: string | null }>('GET', `/requests/${id}`);
  async requestBody(id: number): Promise<Buffer> {
    const res = await this.call('GET', `/requests/${id}/body`);
    if (!res.ok) throw new AdminApiError(res.status, 'NOT_FOUND', `no request ${id}`);
    return Buffer.from(await res.arrayBuffer());
  }
  cerReports = async (f: Filters = {}) => (await this.json<{ reports: CerReportJson[] }>('GET', '/cer/reports', f)).reports;
  cerBuckets = async () => (await this.json<{ buckets: CerBucketRow[] }>('GET', '/cer/buckets')).buckets;
  /** The level-2 cabinet of a report, byte for byte. */
  async cerCab(reportId: number): Promise<Buffer> {
    const res = await this.call('GET', `/cer/reports/${reportId}/cab`);
    if (!res.ok) throw new AdminApiError(res.status, 'NOT_FOUND', `report ${reportId} has no level-2 cabinet`);
    return Buffer.from(await res.arrayBuffer());
  }
  /** The upstream leg of a forwarded request (CEIP, relay): `sent` went out, `received` came back. */
  async forwardBody(id: number, leg: 'sent' | 'received'): Promise<Buffer> {
    const res = await this.call('GET', `/requests/${id}/forward/${leg}`);
    if (!res.ok) throw new AdminApiError(res.status, 'NOT_FOUND', `request ${id} was not forwarded`);
    return Buffer.from(await res.arrayBuffer());
  }
  sqmTokens = async () => (await this.json<{ tokens: TokenRow[] }>('GET', '/sqm/tokens')).tokens;
  sqmSessions = async (f: Filters = {}) => (await this.json<{ sessions: SessionJson[] }>('GET', '/sqm/sessions', f)).sessions;
  violations = async (f: Filters = {}) => (await this.json<{ violations: Violation[] }>('GET', '/violations', f)).violations;
  /** Resolves when `count` matching records exist (with them); throws WaitTimeoutError after timeoutMs. */
  async waitFor<T = unknown>(kind: WaitKind, opts: { count?: number; timeoutMs?: number } & Filters = {}): Promise<T[]> {
    return (await this.json<{ records: T[] }>('GET', '/wait', { kind, ...opts })).records;
  }
  reset = () => this.json<{ status: string }>('POST', '/reset');
  scenario = () => this.json<Scenario>('GET', '/scenario');
  /** Replaces the running scenario (an object is sent as JSON; a string as is, YAML or JSON). */
  setScenario = (s: Scenario | string) => this.json<Scenario>('PUT', '/scenario', {}, typeof s === 'string' ? s : toJson(s));
}
