// What the command line prints before its `listening` lines (issue 14 items 3 and 5): the scenario
// (name, rule count, source), the store it opened with how many requests it holds already, and the
// fileshare folder, so no disk write and no earlier capture goes unnoticed.

import path from 'node:path';
import type { MockServer } from './start';
import { scenarioText, summarizeScenario } from './scenario/describe';

export function logStartSummary(mock: MockServer): void {
  const { config, engine, store, log } = mock.context;
  const source = typeof config.scenario === 'string' ? config.scenario : config.scenario === undefined ? 'built-in' : 'startMockServer option';
  const scenario = summarizeScenario(engine.scenario, source);
  log.event('scenario', { action: 'loaded', ...scenario }, scenarioText('loaded', scenario));
  const memory = config.db === ':memory:';
  const db = memory ? config.db : path.resolve(config.db);
  const records = store.queries.countRequests();
  const held = records === 0 ? 'empty' : `${records} request${records === 1 ? '' : 's'} captured already (POST /__admin/reset clears them)`;
  log.event('store', { path: db, records }, `store ${db}${memory ? ' (in memory, lost on exit)' : ''}: ${held}`);
  const fileshare = path.resolve(mock.fileshare);
  log.event('fileshare', { path: fileshare }, `fileshare ${fileshare}`);
}
