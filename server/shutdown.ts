// Closing the listeners with a deadline: stop accepting, let in-flight requests finish for up to
// `deadlineMs`, then close the connections still open. Without it a client dripping a body holds
// the process for ever: Node stops enforcing requestTimeout once server.close() has been called.

import type http from 'node:http';
import type { Logger } from './log';

/** A listening server and what tells when its request handlers have all finished. */
export interface Closable {
  server: http.Server;
  settled: () => Promise<void>;
}

/** After the deadline's forced close, how long handlers get to capture what they read. */
const AFTER_FORCED_CLOSE_MS = 1000;

/** Resolves true when `p` settles within `ms`, false otherwise. */
function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void p.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Resolves once every server is closed and its handlers are done (or the deadline's forced close is over). */
export async function closeListeners(listeners: readonly Closable[], deadlineMs: number, log: Logger): Promise<void> {
  const closed = listeners.map(
    ({ server }) =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  );
  const finished = Promise.all(closed).then(() => Promise.all(listeners.map((l) => l.settled())));
  if (await within(finished, deadlineMs)) return;
  log.warn(`shutdown: requests still in progress after ${deadlineMs} ms (--shutdown-timeout-ms); closing their connections`);
  for (const { server } of listeners) server.closeAllConnections();
  if (!(await within(finished, AFTER_FORCED_CLOSE_MS))) log.warn('shutdown: request handlers still running; closing the store without them');
}
