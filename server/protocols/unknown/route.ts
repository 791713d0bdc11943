// Anything no protocol claims: a clear 404 naming the request, still captured (protocol `unknown`).

import { UNKNOWN_ROUTE_LIMIT, type ProtocolRoute } from '../../core/module';
import { textAnswer } from '../../core/types';

export const unknownRoute: ProtocolRoute = {
  name: 'unknown',
  listeners: ['main', 'cer'],
  fallback: true,
  claims: () => true,
  bodyLimit: () => UNKNOWN_ROUTE_LIMIT,
  handle: (req) => ({
    protocol: 'unknown',
    answer: textAnswer(404, `no route for ${req.method} ${req.pathname}: see the README's list of routes`),
  }),
};
