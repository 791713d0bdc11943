// The one list of protocol routes, tried in order; the last one claims everything.

import type { MockContext } from '../context';
import type { Outcome, RequestHead, WireRequest } from '../http/types';
import { manifestRoute } from './asqm-manifest/route';
import { ceipRoute } from './ceip/route';
import { cerLevel1Route } from './cer/level1';
import { cerLevel2Route } from './cer/level2';
import { sqmRoute } from './sqm-route';
import { unknownRoute } from './unknown';

export interface ProtocolRoute {
  name: string;
  /** Decides from the request head alone (method, path, query, headers). */
  claims(head: RequestHead): boolean;
  /** How many body bytes to keep whole. */
  bodyLimit(head: RequestHead, ctx: MockContext): number;
  handle(req: WireRequest, ctx: MockContext): Outcome | Promise<Outcome>;
}

export const ROUTES: readonly ProtocolRoute[] = [sqmRoute, manifestRoute, cerLevel1Route, ceipRoute, cerLevel2Route, unknownRoute];

export const routeFor = (head: RequestHead): ProtocolRoute => ROUTES.find((r) => r.claims(head)) ?? unknownRoute;
