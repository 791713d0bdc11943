// The sessions part of the typed admin client: GET /__admin/sqm/sessions.

import type { AdminCall } from '../core/module';
import type { SessionQuery } from './admin';

export type { SessionQuery } from './admin';

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
    streams?: Array<{
      streamIdentifier: number;
      countPerRecord: number;
      countRecords: number;
      entriesRead: number;
      entries: Array<{ entryType: number; entryTypeName: string; tickCount: number; value: number | string }>;
    }>;
    raw?: string;
    reason?: string;
    /** In a summarised session: data points or stream entries read. */
    entries?: number;
  }>;
  /** Present and true when the list summarised a large session: `sections` without data points; `sqmSession(id)` has it whole. */
  truncated?: true;
  summary?: { sections: number; entries: number; sectionBytes: number; limits: { sections: number; entries: number; sectionBytes: number }; whole: string };
  /** Bytes of section data past the decoding limit on sections (finding `sqm-v1.decode-limit`). */
  undecodedBytes?: number;
  findings: Array<{ level: string; rule: string; specRef: string; message: string; offset: number | null }>;
  context?: unknown;
}

/** Client methods of the sessions module (merged into AdminClient). */
export const sessionsClient = (api: AdminCall) => ({
  /**
   * Sessions (every page unless `limit` is given); a large one summarised (`truncated: true`).
   * @example const [s] = await mock.client.sqmSessions({ partner: 'windows' }); s.header.clientUniqueIdentifier
   */
  sqmSessions: (f: SessionQuery = {}) => api.list<SessionJson>('/sqm/sessions', 'sessions', f),
  /**
   * One session whole, however large (GET /__admin/sqm/sessions/:id).
   * @example const whole = await mock.client.sqmSession(s.id); whole.sections[0].datapoints
   */
  sqmSession: (id: number) => api.json<SessionJson>('GET', `/sqm/sessions/${id}`),
});
