// The request listener of one listener role: /__admin/* and GET /__health (the health answer
// without a token) go to the Express admin app (main listener only); everything else goes straight
// to the protocol dispatcher, without Express's router in front of every upload (it cost ~14% of
// CPU on small uploads).

import express from 'express';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { healthRoute, OPEN_HEALTH_PATH } from './admin/health-route';
import { adminRouter } from './admin/router';
import type { MockContext } from './context';
import type { OpenModule } from './core/module';
import { createDispatcher } from './http/dispatch';
import { originForm } from './http/request-target';
import { requestTarget } from './http/target-socket';

export type ListenerRole = 'main' | 'cer' | 'relay';

export function createAdminApp(ctx: MockContext, modules: readonly OpenModule[]): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.get(OPEN_HEALTH_PATH, healthRoute(ctx));
  app.use('/__admin', adminRouter(ctx, modules));
  return app;
}

const isAdminPath = (url: string): boolean => url === '/__admin' || url.startsWith('/__admin/') || url.startsWith('/__admin?');
/** GET or HEAD /__health; another method there is an unknown route, as before. */
const isOpenHealth = (req: IncomingMessage, url: string): boolean =>
  (req.method === 'GET' || req.method === 'HEAD') && (url === OPEN_HEALTH_PATH || url.startsWith(`${OPEN_HEALTH_PATH}?`));

/** A listener's request handler, and what resolves once every request it began has been handled. */
export type ProtocolListener = RequestListener & { settled: () => Promise<void> };

export function createListener(ctx: MockContext, role: ListenerRole, modules: readonly OpenModule[]): ProtocolListener {
  const admin = role === 'main' ? createAdminApp(ctx, modules) : null;
  const dispatch = createDispatcher(ctx, role, modules);
  // Protocol requests in progress: shutdown waits for their captures before closing the store.
  const inFlight = new Set<Promise<void>>();
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (admin) {
      const url = originForm(requestTarget(req));
      if (isAdminPath(url) || isOpenHealth(req, url)) {
        req.url = url;
        return void admin(req, res);
      }
    }
    const done: Promise<void> = dispatch(req, res)
      .catch((e: Error) => {
        ctx.log.error(`dispatch: ${e.message}`);
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('internal error (logged)\n');
        }
      })
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  };
  const settled = async () => {
    while (inFlight.size > 0) await Promise.all(inFlight);
  };
  return Object.assign(handler, { settled });
}
