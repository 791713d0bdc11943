// A-SQM manifest hosting (MS-SQMCS 3.1.5.3.1, 3.2.5.6, note <9>): GET /sqm/<partner>/manifests/
// Sqm<version>.bin (also without /sqm, and any case of "sqm"). Serves the download package (header
// + manifest) built from the scenario's partners.<p>.manifest; 404 for an unknown partner or version.
// The real service wraps it in a signed DLL inside a cabinet (note <8>); we serve the package itself.

import type { MockContext } from '../../context';
import type { Outcome, RequestHead, WireRequest } from '../../http/types';
import { textAnswer } from '../../http/types';
import { manifestBytesFor } from './index';

const PATH = /^\/(?:sqm\/)?([^/]+)\/manifests\/sqm(\d{1,10})\.bin$/i;

const parts = (head: RequestHead): { partner: string; version: number } | null => {
  const m = PATH.exec(head.pathname);
  if (!m) return null;
  let partner = m[1];
  try {
    partner = decodeURIComponent(partner);
  } catch {
    // keep it as sent
  }
  return { partner, version: Number(m[2]) };
};

export const manifestRoute = {
  name: 'asqm-manifest',
  claims: (head: RequestHead): boolean => PATH.test(head.pathname) && (head.method === 'GET' || head.method === 'HEAD'),
  bodyLimit: (): number => 64 * 1024,
  handle: (req: WireRequest, ctx: MockContext): Outcome => {
    const p = parts(req)!;
    const base = { protocol: 'asqm-manifest' as const, partner: p.partner };
    const decision = ctx.engine.decide({ protocol: 'asqm-manifest', method: req.method, path: req.url, partner: p.partner });
    const r = decision.respond;
    const outcome = { ...base, ruleName: decision.ruleName, delivery: decision.delivery };
    if (r && (r.status ?? r.body ?? r.headers) !== undefined) {
      return { ...outcome, answer: { status: r.status ?? 200, headers: { ...(r.headers ?? {}) }, body: Buffer.from(r.body ?? '', 'utf8') } };
    }
    const known = ctx.engine.knowsPartner(p.partner) ? ctx.engine.partner(p.partner)?.manifest : undefined;
    const bytes = manifestBytesFor(known, p);
    if (!bytes) {
      const why = known ? `partner "${p.partner}" has manifest version ${known.version}, not ${p.version}` : `partner "${p.partner}" has no manifest`;
      return { ...outcome, answer: textAnswer(404, `asqm-manifest.not-found: ${why}`) };
    }
    const body = req.method === 'HEAD' ? Buffer.alloc(0) : bytes;
    return { ...outcome, answer: { status: 200, headers: { 'content-type': 'application/octet-stream' }, body } };
  },
};
