// --watch with files caught mid-save (issue 13 item 12): a truncated, empty, comment-only or
// half-written file keeps the running scenario and logs why, naming the file; a save written in
// two steps is loaded once, whole; a valid edit is applied.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ScenarioSchema } from '../protocols/scenario';
import { Clock } from './clock';
import { ScenarioEngine } from './engine';
import { parseScenario } from './load';
import { watchScenario } from './watch';

const BUSY = 'name: busy\nrules:\n  - name: busy\n    respond: { status: 503 }\n';

let dir: string;
let file: string;
let engine: ScenarioEngine;
let stop: () => void;
const warnings: string[] = [];
const infos: string[] = [];
let decisions: boolean[] = [];
let waiting: ((ok: boolean) => void) | null = null;

/** The watcher's next decision: true when it loaded the file, false when it kept the running scenario. */
const next = () => new Promise<boolean>((resolve) => (waiting = resolve));
const status = () => (engine.scenario.rules?.[0]?.respond as { status?: number } | undefined)?.status;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqm-watch-'));
  file = path.join(dir, 'watched.yaml');
  fs.writeFileSync(file, BUSY);
  engine = new ScenarioEngine(parseScenario(BUSY, file, ScenarioSchema), ScenarioSchema, new Clock());
  warnings.length = infos.length = 0;
  decisions = [];
  const log = {
    info: (m: string) => infos.push(m),
    warn: (m: string) => warnings.push(m),
    error: (m: string) => warnings.push(m),
    event: () => {},
    activity: { request: () => {}, event: (_e: string, _f: unknown, text: string) => infos.push(text) },
    flush: () => {},
  };
  stop = watchScenario(file, engine, log, (ok) => {
    decisions.push(ok);
    waiting?.(ok);
    waiting = null;
  });
});
afterEach(() => {
  stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

it.each<[string, (f: string) => void, string]>([
  ['truncated to 0 bytes', (f) => fs.truncateSync(f, 0), 'the file is empty (a save in progress?)'],
  ['only blanks', (f) => fs.writeFileSync(f, '\n  \n'), 'the file is empty (a save in progress?)'],
  ['only a comment', (f) => fs.writeFileSync(f, '# rules come next\n'), 'the file is empty (a save in progress?)'],
  ['cut inside a flow mapping', (f) => fs.writeFileSync(f, 'rules:\n  - name: busy\n    respond: { status: '), 'line 3, column'],
])('keeps the running scenario when the file is %s, and says why naming the file', async (_name, edit, why) => {
  const decided = next();
  edit(file);
  expect(await decided).toBe(false);
  expect(status()).toBe(503);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain(`scenario not reloaded, keeping the previous one: ${file}: `);
  expect(warnings[0]).toContain(why);
});

it('a save written in two steps is loaded once, whole (not its valid first half)', async () => {
  const decided = next();
  // The first half alone is a valid scenario whose rule answers 200: the attack of the issue.
  fs.writeFileSync(file, 'name: throttled\nrules:\n  - name: throttled\n');
  await new Promise((r) => setTimeout(r, 70));
  fs.appendFileSync(file, '    respond: { status: 429 }\n');
  expect(await decided).toBe(true);
  expect(status()).toBe(429);
  await new Promise((r) => setTimeout(r, 300));
  expect(decisions).toEqual([true]);
  expect(infos).toEqual([`scenario reloaded from ${file} (1 rule), name "throttled"`]);
});

it('after an empty file, the running text back is no reload; a valid new one is applied', async () => {
  let decided = next();
  fs.truncateSync(file, 0);
  expect(await decided).toBe(false);
  fs.writeFileSync(file, BUSY);
  await new Promise((r) => setTimeout(r, 400));
  expect(decisions).toEqual([false]);
  decided = next();
  fs.writeFileSync(file, 'name: ok\nrules:\n  - respond: { status: 202 }\n');
  expect(await decided).toBe(true);
  expect(status()).toBe(202);
  expect(engine.scenario.name).toBe('ok');
});
