// The scenario view: the running scenario, each rule's hits (the requests it answered), and loading
// a new one by paste or file, with a refusal's errors shown at their line.

import { ApiError, call, getJson } from './api.js';
import { fill, h, status } from './dom.js';
import { errorLines } from './format.js';
import type { Traffic } from './traffic';

interface Scenario {
  name?: string;
  rules?: { name?: string; times?: number }[];
}

export async function scenarioView(traffic: Traffic): Promise<HTMLElement> {
  const scenario = await getJson<Scenario>('scenario');
  const hits = new Map<string, number>();
  for (const r of traffic.rows) if (r.ruleName) hits.set(r.ruleName, (hits.get(r.ruleName) ?? 0) + 1);
  const rules = (scenario.rules ?? []).map((r, i) => {
    const name = r.name ?? `rules[${i}]`;
    return h('tr', { 'data-rule': name }, h('td', {}, i), h('td', {}, name), h('td', {}, r.times ?? '∞'), h('td', { class: 'hits' }, hits.get(name) ?? 0));
  });
  const text = h('textarea', { id: 'scenario-text', 'aria-label': 'Scenario (YAML or JSON)', spellcheck: 'false' });
  const file = h('input', { type: 'file', accept: '.yaml,.yml,.json', 'aria-label': 'Scenario file' });
  const errors = h('div', { class: 'errors', id: 'scenario-errors', role: 'alert' });
  file.addEventListener('change', () => void file.files?.[0]?.text().then((t) => (text.value = t)));
  const load = async () => {
    fill(errors);
    try {
      await call('scenario', { method: 'PUT', headers: { 'content-type': 'application/yaml' }, body: text.value });
      status('scenario loaded');
      location.hash = '#/scenario';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      showErrors(text.value, e.message, errors);
    }
  };
  return h(
    'section',
    { 'aria-label': 'Scenario' },
    h('h2', {}, `Running scenario${scenario.name ? `: ${scenario.name}` : ''}`),
    h('table', { id: 'rule-hits' }, h('thead', {}, h('tr', {}, ...['#', 'rule', 'times', 'hits'].map((c) => h('th', {}, c)))), h('tbody', {}, ...rules)),
    rules.length ? null : h('p', { class: 'muted' }, 'No rules: every request gets its protocol’s default answer.'),
    h('details', {}, h('summary', {}, 'As JSON'), h('pre', {}, JSON.stringify(scenario, null, 2))),
    h('h2', {}, 'Load a scenario'),
    h('p', {}, 'Paste YAML or JSON, or pick a file; it replaces the running scenario (PUT /__admin/scenario).'),
    file,
    text,
    h('div', { class: 'buttons' }, h('button', { type: 'button', id: 'scenario-load', onclick: () => void load() }, 'Load scenario')),
    errors,
  );
}

/** The refusal and the document with its line marked. */
function showErrors(source: string, message: string, into: HTMLElement): void {
  const lines = errorLines(message);
  into.append(h('p', {}, message));
  if (lines.length === 0) return;
  const editor = h('div', { class: 'editor', 'aria-label': `The document, line ${lines.join(', ')} marked` });
  source.split('\n').forEach((l, i) => {
    const bad = lines.includes(i + 1) ? ' bad' : '';
    editor.append(h('span', { class: `ln${bad}` }, i + 1), h('span', { class: `src${bad}`, 'data-line': i + 1 }, l || ' '));
  });
  into.append(editor);
  editor.querySelector('.src.bad')?.scrollIntoView({ block: 'center' });
}
