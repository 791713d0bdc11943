// Byte ranges of the SQM sessions stored from one request (GET /__admin/requests/:id/layout): each
// decoded again by the codec that checked it, its ranges shifted to where it sits in the body.

import { decodeSqmSession } from '../codecs/sqm-session/codec';
import { sqmSessionLayout } from '../codecs/sqm-session/layout';
import type { LayoutPart } from '../core/module';
import { decompressOf } from './present';
import type { SessionRow } from './store';

/** Data points and stream entries listed per request; the rest are counted (a 20 MiB session holds millions). */
export const LAYOUT_ENTRY_LIMIT = 20_000;

export function sessionsLayout(rows: readonly SessionRow[]): LayoutPart {
  const out: Required<LayoutPart> = { ranges: [], omitted: 0, sessions: [] };
  let left = LAYOUT_ENTRY_LIMIT;
  rows.forEach((row, i) => {
    out.sessions.push({ id: row.id, bodyOffset: row.bodyOffset });
    // Not a slice of the body (a compressed v2 payload): its bytes are not in the hex dump.
    if (row.bodyOffset === null) return;
    const decoded = decodeSqmSession(row.sessionBytes, { maxRawBytes: Number.MAX_SAFE_INTEGER, decompress: decompressOf(row) }).value;
    if (!decoded) return;
    // Inside a v2 payload: under the payload (depth 0) and the req's slice (depth 1).
    const nested = row.protocolVersion === 2 ? 2 : 0;
    const { ranges, omitted } = sqmSessionLayout(decoded, { base: row.bodyOffset, prefix: `sessions[${i}]`, maxEntries: left });
    left = Math.max(0, left - ranges.filter((r) => r.depth === 2 && /\.(datapoints|entries)\[/.test(r.path)).length);
    out.omitted += omitted;
    out.ranges.push(...ranges.map((r) => (nested ? { ...r, depth: r.depth + nested } : r)));
  });
  return out;
}
