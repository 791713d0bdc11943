// GET /__admin/requests/:id/layout: where each decoded field of a request lies in its body, as
// `[start, end)` byte ranges computed by the codecs (README "Admin API"; the web page links them).

import type { MockContext } from '../context';
import type { LayoutPart, OpenModule } from '../core/module';
import type { ByteRange } from '../wire/layout';

export interface RequestLayout extends Required<LayoutPart> {
  requestId: number;
  protocol: string;
  bodySize: number;
}

/** Every module's ranges for this request, sorted by start (outer ranges first); undefined when there is no such request. */
export function requestLayout(ctx: MockContext, modules: readonly OpenModule[], id: number): RequestLayout | undefined {
  const row = Number.isSafeInteger(id) ? ctx.store.queries.request(id) : undefined;
  if (!row) return undefined;
  const body = ctx.store.queries.requestBody(id) ?? Buffer.alloc(0);
  const out: RequestLayout = { requestId: id, protocol: row.protocol, bodySize: body.length, ranges: [], omitted: 0, sessions: [] };
  for (const { module, state } of modules) {
    const part = module.admin?.layout?.({ id, protocol: row.protocol, body }, state, ctx);
    if (!part) continue;
    out.ranges.push(...part.ranges);
    out.omitted += part.omitted ?? 0;
    out.sessions.push(...(part.sessions ?? []));
  }
  out.ranges = inBodyOrder(out.ranges);
  return out;
}

/**
 * Body ranges by start, a container before its parts (longest first, then the outer depth), each
 * module's order kept on ties; ranges in decompressed data stay right after the body range they follow (their cabinet).
 */
function inBodyOrder(ranges: readonly ByteRange[]): ByteRange[] {
  let anchor = { start: 0, end: 0 };
  const keyed = ranges.map((r, i) => {
    if (r.space === undefined) anchor = r;
    return { r, i, start: anchor.start, end: anchor.end, tier: r.space === undefined ? 0 : 1 };
  });
  keyed.sort((a, b) => a.start - b.start || b.end - a.end || a.tier - b.tier || (a.tier === 0 ? a.r.depth - b.r.depth : 0) || a.i - b.i);
  return keyed.map((k) => k.r);
}
