// A-SQM manifest hosting (MS-SQMCS 3.1.5.3.1, 3.2.5.6, note <9>): GET /sqm/<partner>/manifests/
// Sqm<version>.bin (also without /sqm, and any case of "sqm"). Serves the download package (header
// + manifest) built from the scenario's partners.<p>.manifest; 404 for an unknown partner or version.
// The real service wraps it in a signed DLL inside a cabinet (note <8>); we serve the package itself.

import { meetRow, type ConversationState } from '../../conversation';
import { answerWith } from '../../core/answer';
import type { ProtocolRoute } from '../../core/module';
import type { RouteFacts } from '../../scenario/types';
import { textAnswer, type RequestHead } from '../../core/types';
import { manifestBytesFor } from './authoring';
import type { AsqmManifestSpec } from './schema';

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

const MATCH_KEYS = ['partner'] as const;

export const manifestRoute: ProtocolRoute<ConversationState> = {
  name: 'asqm-manifest',
  matchKeys: MATCH_KEYS,
  claims: (head) => PATH.test(head.pathname) && (head.method === 'GET' || head.method === 'HEAD'),
  bodyLimit: () => 64 * 1024,
  handle: (req, ctx, conversation) => {
    const p = parts(req)!;
    const decision = ctx.engine.decide({ protocol: 'asqm-manifest', method: req.method, path: req.url, partner: p.partner } satisfies RouteFacts<(typeof MATCH_KEYS)[number]>);
    const result = answerWith(decision, {}, () => {
      const known = ctx.engine.knowsPartner(p.partner) ? (ctx.engine.partner(p.partner)?.manifest as AsqmManifestSpec | undefined) : undefined;
      const bytes = manifestBytesFor(known, p);
      if (!bytes) {
        const why = known ? `partner "${p.partner}" has manifest version ${known.version}, not ${p.version}` : `partner "${p.partner}" has no manifest`;
        return { answer: textAnswer(404, `asqm-manifest.not-found: ${why}`), byRule: true };
      }
      const body = req.method === 'HEAD' ? Buffer.alloc(0) : bytes;
      return { answer: { status: 200, headers: { 'content-type': 'application/octet-stream' }, body }, byRule: true };
    });
    // A download meets every announcement of this version to this partner's clients (SQM v1 201, SQM v2 rsrc):
    // nothing else ties a download to the client that was told (MS-SQMCS 3.1.5.3.1).
    const met = result.answer.status === 200 ? conversation.setups({ kind: 'manifest', unmet: true, ref: `${p.partner}:${p.version}` }) : [];
    return { protocol: 'asqm-manifest', partner: p.partner, clientKey: `${req.remoteAddress ?? '?'} ${p.partner}`, ...result, rows: met.map((s) => meetRow(s.id)) };
  },
};
