// --watch: reloads the scenario file when it changes. Watches the folder, so editors that save by
// renaming are seen too. A file is loaded only once it has stopped changing (the same text on two
// reads SETTLE_MS apart, after the last event), so a save in progress is not taken for a new
// scenario; an empty file (a truncate before the write) or one that fails to parse or validate
// keeps the running scenario, and the reason is logged, naming the file.

import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log';
import { scenarioText, summarizeScenario } from './describe';
import type { ScenarioEngine } from './engine';
import { ScenarioError, isEmptyDocument, parseScenario } from './load';

const SETTLE_MS = 100;

/** Starts watching; returns a function that stops it. `onReload` hears each decision (tests). */
export function watchScenario(file: string, engine: ScenarioEngine, log: Logger, onReload?: (ok: boolean) => void): () => void {
  const dir = path.dirname(path.resolve(file));
  const base = path.basename(file);
  let timer: NodeJS.Timeout | null = null;
  /** The text of the running scenario, and of the last one refused (not reported twice). */
  let running = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  let refused: string | null = null;
  /** What the previous settled read saw: loaded only when the next read agrees. */
  let candidate: string | null = null;
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(settle, SETTLE_MS);
  };
  const settle = () => {
    timer = null;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return; // mid-save (renamed away): the next event brings the new file
    }
    if (text !== candidate) {
      candidate = text;
      return arm(); // still changing, or first look: read again once it has settled
    }
    candidate = null;
    if (text === running || text === refused) return;
    load(text);
  };
  const load = (text: string) => {
    try {
      if (isEmptyDocument(text)) throw new ScenarioError(file, ['the file is empty (a save in progress?)']);
      const next = parseScenario(text, file, engine.schema);
      engine.replace(next);
      running = text;
      refused = null;
      const summary = summarizeScenario(next, file);
      log.activity?.event('scenario', { action: 'reloaded', ...summary }, scenarioText('reloaded', summary));
      onReload?.(true);
    } catch (e) {
      refused = text;
      log.warn(`scenario not reloaded, keeping the previous one: ${(e as Error).message}`);
      onReload?.(false);
    }
  };
  const watcher = fs.watch(dir, (_event, name) => {
    if (name === base) arm();
  });
  return () => {
    if (timer) clearTimeout(timer);
    watcher.close();
  };
}
