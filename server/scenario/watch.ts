// --watch: reloads the scenario file when it changes. A bad edit keeps the running scenario
// and logs why. Watches the folder, so editors that save by renaming are seen too.

import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log';
import type { ScenarioEngine } from './engine';
import { loadScenarioFile } from './load';

const SETTLE_MS = 50;

/** Starts watching; returns a function that stops it. */
export function watchScenario(file: string, engine: ScenarioEngine, log: Logger, onReload?: (ok: boolean) => void): () => void {
  const dir = path.dirname(path.resolve(file));
  const base = path.basename(file);
  let timer: NodeJS.Timeout | null = null;
  let last = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const reload = () => {
    timer = null;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return; // mid-save (renamed away): the next event brings the new file
    }
    if (text === last) return;
    last = text;
    try {
      const next = loadScenarioFile(file, engine.schema);
      engine.replace(next);
      const n = next.rules?.length ?? 0;
      log.info(`scenario reloaded from ${file} (${n} rule${n === 1 ? '' : 's'})`);
      onReload?.(true);
    } catch (e) {
      log.warn(`scenario not reloaded, keeping the previous one: ${(e as Error).message}`);
      onReload?.(false);
    }
  };
  const watcher = fs.watch(dir, (_event, name) => {
    if (name !== base) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(reload, SETTLE_MS);
  });
  return () => {
    if (timer) clearTimeout(timer);
    watcher.close();
  };
}
