// The SQM v2 part of the admin API: GET /__admin/sqm/tokens, and the request XML beside a v2
// request's answer in GET /__admin/requests/:id, with every arg it carries (`message`).

import { splitMessage } from '../../codecs/sqm-v2-message/framing';
import { parseTpxs } from '../../codecs/sqm-v2-message/tpxs';
import type { Arg, TpxsRequest } from '../../codecs/sqm-v2-message/types';
import type { AdminPart } from '../../core/module';
import type { V2State } from './state';
import { v2MessageLayout } from './layout';

export const sqmV2Admin: AdminPart<V2State> = {
  routes: [{ method: 'GET', path: '/sqm/tokens', handle: (_req, s) => ({ json: { tokens: s.tokens.tokens() } }) }],
  requestDetail: (request, _tokens, ctx) => {
    if (request.protocol !== 'sqm-v2') return undefined;
    const body = ctx.store.queries.requestBody(request.id);
    // The XML part of the message, for reading it beside its answer (null when the framing is broken).
    const framed = body ? splitMessage(body).value : null;
    const parsed = framed ? parseTpxs(framed.xml).value : null;
    return body ? { requestXml: framed ? framed.xml.toString('utf8') : null, message: parsed ? messageJson(parsed) : null } : undefined;
  },
  layout: ({ protocol, body }) => (protocol === 'sqm-v2' ? v2MessageLayout(body) : undefined),
};

/** Every arg of a v2 message, in document order (MS-SQMCS2 2.2.2.7-2.2.2.16): what a test reads back. */
export interface V2MessageJson {
  os: Arg[];
  hw: Arg[];
  ctrl: Arg[];
  payload: Arg[] | null;
  reqs: {
    key: string;
    namespace: { svc?: string; ptr?: string; gp?: string; app?: string; args: Arg[] } | null;
    ctrl: Arg[];
    contents: Arg[];
    cmd: { nm: string; args: Arg[] } | null;
  }[];
}

const messageJson = (m: TpxsRequest): V2MessageJson => ({
  os: m.os,
  hw: m.hw,
  ctrl: m.ctrl,
  payload: m.payload,
  reqs: m.reqs.map((r) => ({
    key: r.key,
    namespace: r.namespace && { svc: r.namespace.svc, ptr: r.namespace.ptr, gp: r.namespace.gp, app: r.namespace.app, args: r.namespace.args },
    ctrl: r.ctrl,
    contents: r.contents,
    cmd: r.cmd,
  })),
});
