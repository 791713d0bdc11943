// What every part of a running server shares, built once by start.ts and passed down
// (no module-level singletons, so several servers can run in one process).

import type { MockConfig } from './config';
import type { CabextractRunner } from './cab';
import type { BodyBudget } from './limits/body-budget';
import type { Logger } from './log';
import type { Metrics } from './metrics';
import type { Clock } from './scenario/clock';
import type { ScenarioEngine } from './scenario/engine';
import type { Store } from './store';

export interface MockContext {
  config: MockConfig;
  store: Store;
  engine: ScenarioEngine;
  /** The mock's time (real time plus the offset tests control): every issued and judged time. */
  clock: Clock;
  log: Logger;
  /** Aborted when the server shuts down: ends delays and hung connections. */
  shutdown: AbortSignal;
  /** PEM of a CA trusted for https upstreams (--upstream-ca). */
  upstreamCa?: Buffer;
  /** Request-body bytes held in memory, shared by every listener (--max-inflight-body-mb); none: unbounded. */
  bodyBudget?: BodyBudget;
  /** Runs cabextract for LZX/Quantum cabinets, asynchronously; none when it is not installed. */
  cabextract?: CabextractRunner;
  /** Counters behind GET /__admin/metrics; none in handler unit tests. */
  metrics?: Metrics;
}
