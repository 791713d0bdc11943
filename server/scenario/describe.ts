// The scenario as the log names it (issue 14 item 5): its name, rule count and where it came from,
// as fields (JSON log lines) and as one text line. Pure.

import type { ScenarioCore } from './types';

export interface ScenarioSummary {
  name: string | null;
  rules: number;
  /** A file, `PUT /__admin/scenario`, `startMockServer option` or `built-in`. */
  source: string;
}

export function summarizeScenario(s: ScenarioCore, source: string): ScenarioSummary {
  return { name: typeof s.name === 'string' ? s.name : null, rules: s.rules?.length ?? 0, source };
}

/** `scenario loaded from f.yaml (2 rules), name "throttle"`; `verb` says what happened. */
export function scenarioText(verb: string, s: ScenarioSummary): string {
  const from = s.source === 'built-in' ? 'the built-in happy path' : s.source;
  return `scenario ${verb} from ${from} (${s.rules} rule${s.rules === 1 ? '' : 's'})${s.name === null ? '' : `, name ${JSON.stringify(s.name)}`}`;
}
