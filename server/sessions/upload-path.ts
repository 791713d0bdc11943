// The one upload path SQM v1 and SQM v2 share (INTERFACE.md section 2): POST or PUT
// /sqm/<partner>/sqmserver.dll, told apart by the body.

import { looksLikeV2 } from '../codecs/sqm-v2-message/framing';
import type { RequestHead, WireRequest } from '../core/types';

const MSQM = Buffer.from('MSQM', 'latin1');

/** SQM v2 (a length-prefixed XML message), not an `MSQM` session: POST or PUT only. */
export const isV2Message = (req: Pick<WireRequest, 'method' | 'body'>): boolean =>
  (req.method === 'POST' || req.method === 'PUT') && !req.body.subarray(0, 4).equals(MSQM) && looksLikeV2(req.body);

export const SQM_PATH = /^\/sqm\/([^/]+)\/sqmserver\.dll$/i;

/** The partner named in the path, percent-decoded when it decodes. */
export const partnerOf = (head: Pick<RequestHead, 'pathname'>): string | null => {
  const m = SQM_PATH.exec(head.pathname);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
};
