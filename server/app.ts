// The Express app of one listener: the admin API (main listener only), then every protocol.

import express from 'express';
import { adminRouter } from './admin/router';
import type { MockContext } from './context';
import { createDispatcher } from './http/dispatch';

export type ListenerRole = 'main' | 'cer' | 'relay';

export function createApp(ctx: MockContext, role: ListenerRole): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  if (role === 'main') app.use('/__admin', adminRouter(ctx));
  const dispatch = createDispatcher(ctx, role);
  app.use((req, res) => {
    dispatch(req, res).catch((e: Error) => {
      ctx.log.error(`dispatch: ${e.message}`);
      if (!res.headersSent) res.status(500).type('text/plain').send('internal error (logged)\n');
    });
  });
  return app;
}
