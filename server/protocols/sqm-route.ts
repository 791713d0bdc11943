// The shared SQM upload path (INTERFACE.md section 2): POST or PUT /sqm/<partner>/sqmserver.dll,
// told apart by the body: `MSQM` → SQM v1 (MS-SQMCS); a length-prefixed XML → SQM v2 (MS-SQMCS2).

import type { MockContext } from '../context';
import type { Outcome, RequestHead, WireRequest } from '../http/types';
import { handleSqmV1, partnerOf, SQM_PATH } from './sqm-v1/route';
import { handleSqmV2, sqmV2BodyLimit } from './sqm-v2/handle';
import { looksLikeV2 } from '../codecs/sqm-v2-message/framing';

const MSQM = Buffer.from('MSQM', 'latin1');

export const sqmRoute = {
  name: 'sqm',
  claims: (head: RequestHead): boolean => SQM_PATH.test(head.pathname),
  bodyLimit: (head: RequestHead, ctx: MockContext): number => sqmV2BodyLimit(ctx.engine.maxUploadBytes(partnerOf(head))),
  handle: (req: WireRequest, ctx: MockContext): Outcome => {
    const v2 = (req.method === 'POST' || req.method === 'PUT') && !req.body.subarray(0, 4).equals(MSQM) && looksLikeV2(req.body);
    return v2 ? handleSqmV2(req, ctx, partnerOf(req)) : handleSqmV1(req, ctx);
  },
};
