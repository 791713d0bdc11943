// Anything no protocol claims: a clear 404 naming the request, still captured (protocol `unknown`).

import type { Outcome, RequestHead, WireRequest } from '../http/types';
import { textAnswer } from '../http/types';

export const unknownRoute = {
  name: 'unknown',
  claims: (_head: RequestHead): boolean => true,
  bodyLimit: (): number => 1024 * 1024,
  handle: (req: WireRequest): Outcome => ({
    protocol: 'unknown',
    answer: textAnswer(404, `no route for ${req.method} ${req.pathname}: see the README's list of routes`),
  }),
};
