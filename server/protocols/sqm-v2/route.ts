// SQM v2 (MS-SQMCS2 2.1, 3.2.5) on the upload path SQM v1 shares: a POST or PUT whose body is a
// length-prefixed XML message, not an `MSQM` session.

import { prefetchFallback } from '../../cab';
import type { ProtocolRoute } from '../../core/module';
import { isV2Message, partnerOf, SQM_PATH } from '../../sessions/upload-path';
import { handleSqmV2, SQM_V2_MATCH_KEYS, sqmV2BodyLimit } from './handle';
import type { V2State } from './state';

export const sqmV2Route: ProtocolRoute<V2State> = {
  name: 'sqm-v2',
  matchKeys: SQM_V2_MATCH_KEYS,
  claims: (head) => SQM_PATH.test(head.pathname),
  bodyLimit: (head, ctx) => sqmV2BodyLimit(ctx.engine.maxUploadBytes(partnerOf(head))),
  accepts: isV2Message,
  handle: async (req, ctx, state) => {
    const cabFallback = await prefetchFallback(req.body, ctx.cabextract, ctx.engine.maxUploadBytes(partnerOf(req)));
    return handleSqmV2(cabFallback ? { ...req, cabFallback } : req, ctx, state, partnerOf(req));
  },
};
