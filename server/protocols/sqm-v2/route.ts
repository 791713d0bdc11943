// SQM v2 (MS-SQMCS2 2.1, 3.2.5) on the upload path SQM v1 shares: a POST or PUT whose body is a
// length-prefixed XML message, not an `MSQM` session.

import type { ProtocolRoute } from '../../core/module';
import { isV2Message, partnerOf, SQM_PATH } from '../../sessions/upload-path';
import { handleSqmV2, sqmV2BodyLimit } from './handle';
import type { V2State } from './state';

export const sqmV2Route: ProtocolRoute<V2State> = {
  name: 'sqm-v2',
  claims: (head) => SQM_PATH.test(head.pathname),
  bodyLimit: (head, ctx) => sqmV2BodyLimit(ctx.engine.maxUploadBytes(partnerOf(head))),
  accepts: isV2Message,
  handle: (req, ctx, state) => handleSqmV2(req, ctx, state, partnerOf(req)),
};
