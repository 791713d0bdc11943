// The SQM v2 part of the admin API: GET /__admin/sqm/tokens, and the request XML beside a v2
// request's answer in GET /__admin/requests/:id.

import { splitMessage } from '../../codecs/sqm-v2-message/framing';
import type { AdminPart } from '../../core/module';
import type { V2State } from './state';

export const sqmV2Admin: AdminPart<V2State> = {
  routes: [{ method: 'GET', path: '/sqm/tokens', handle: (_req, s) => ({ json: { tokens: s.tokens.tokens() } }) }],
  requestDetail: (request, _tokens, ctx) => {
    if (request.protocol !== 'sqm-v2') return undefined;
    const body = ctx.store.queries.requestBody(request.id);
    // The XML part of the message, for reading it beside its answer (null when the framing is broken).
    const framed = body ? splitMessage(body).value : null;
    return body ? { requestXml: framed ? framed.xml.toString('utf8') : null } : undefined;
  },
};
