// The requests view: newest first, live, filtered, virtualised (only the rows in sight are in the
// DOM, so 10,000 requests cost what 40 do). Arrow keys move, Enter opens, "/" goes to the search.

import { h, fill } from './dom.js';
import { matches, statusClass, type ListFilter } from './format.js';
import type { Traffic } from './traffic';
import type { RequestRow } from './types';

const ROW = 24;
const COLUMNS = ['#', 'Time', 'Listener', 'Protocol', 'Method', 'Path', 'Status', 'Rule', 'Fault', 'Findings', 'Size'];

export interface ListView {
  el: HTMLElement;
  dispose(): void;
}

const size = (n: number): string => (n < 1024 ? `${n} B` : n < 1 << 20 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / (1 << 20)).toFixed(1)} MiB`);

function select(label: string, key: keyof ListFilter, onChange: (k: keyof ListFilter, v: string) => void): HTMLSelectElement {
  const s = h('select', { 'aria-label': label, 'data-filter': key, onchange: () => onChange(key, s.value) }, h('option', { value: '' }, `${label}: all`));
  return s;
}

function setOptions(s: HTMLSelectElement, values: readonly string[]): void {
  const have = [...s.options].slice(1).map((o) => o.value);
  if (have.length === values.length && have.every((v, i) => v === values[i])) return;
  const current = s.value;
  s.replaceChildren(s.options[0], ...values.map((v) => h('option', { value: v }, v)));
  s.value = values.includes(current) ? current : '';
}

export function requestsView(traffic: Traffic, open: (id: number) => void, initial: ListFilter = {}): ListView {
  const filter: ListFilter = { ...initial };
  let shown: RequestRow[] = [];
  let selected = 0;
  const change = (k: keyof ListFilter, v: string | boolean) => {
    (filter as Record<string, unknown>)[k] = v === '' ? undefined : v;
    refresh();
  };
  const protocol = select('Protocol', 'protocol', change);
  const status = select('Status', 'statusClass', change);
  setOptions(status, ['2', '3', '4', '5', 'none']);
  const partner = select('Partner', 'partner', change);
  const rule = select('Rule', 'rule', change);
  const has = h('input', { type: 'checkbox', onchange: () => change('hasFindings', has.checked) });
  const search = h('input', { type: 'search', placeholder: 'Search path and rule  ( / )', 'aria-label': 'Search path and rule', oninput: () => change('search', search.value) });
  const count = h('span', { class: 'count', 'aria-live': 'polite' });
  const rows = h('div', { class: 'rows', role: 'presentation' });
  const spacer = h('div');
  const scroller = h('div', { class: 'scroller', tabindex: 0, role: 'listbox', 'aria-label': 'Captured requests, newest first' }, spacer, rows);
  const head = h('div', { class: 'grid list-head', role: 'presentation' }, ...COLUMNS.map((c) => h('span', {}, c)));
  const el = h(
    'section',
    { 'aria-label': 'Requests' },
    h('div', { class: 'filters' }, protocol, status, partner, rule, h('label', {}, has, ' has findings'), search, count),
    head,
    scroller,
  );

  function rowEl(r: RequestRow, index: number): HTMLElement {
    const n = traffic.findingCounts.get(r.id) ?? 0;
    const cells = [r.id, r.receivedAt.slice(11, 23), r.listener, r.protocol, r.method, r.path, r.status ?? '—', r.ruleName ?? '', r.fault ?? '', n || '', size(r.bodySize)];
    const row = h(
      'div',
      { class: 'grid row', role: 'option', 'aria-selected': String(index === selected), 'data-id': r.id, onclick: () => open(r.id), title: r.path },
      ...cells.map((c) => h('span', {}, c)),
    );
    row.children[6].className = `st-${statusClass(r.status)}`;
    return row;
  }

  function paint(): void {
    const first = Math.max(0, Math.floor(scroller.scrollTop / ROW) - 5);
    const last = Math.min(shown.length, first + Math.ceil(scroller.clientHeight / ROW) + 10);
    rows.style.transform = `translateY(${first * ROW}px)`;
    fill(rows, ...shown.slice(first, last).map((r, i) => rowEl(r, first + i)));
  }

  function refresh(): void {
    const all = traffic.rows;
    setOptions(protocol, [...new Set(all.map((r) => r.protocol))].sort());
    setOptions(partner, [...new Set(all.map((r) => r.partner).filter((p): p is string => p !== null))].sort());
    setOptions(rule, [...new Set(all.map((r) => r.ruleName ?? '(default)'))].sort());
    shown = [];
    for (let i = all.length - 1; i >= 0; i--) if (matches(all[i], filter, traffic.findingCounts.get(all[i].id) ?? 0)) shown.push(all[i]);
    selected = Math.min(selected, Math.max(0, shown.length - 1));
    spacer.style.height = `${shown.length * ROW}px`;
    count.textContent = `${shown.length} of ${all.length} requests`;
    paint();
  }

  function move(to: number): void {
    selected = Math.max(0, Math.min(shown.length - 1, to));
    const top = selected * ROW;
    if (top < scroller.scrollTop) scroller.scrollTop = top;
    else if (top + ROW > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = top + ROW - scroller.clientHeight;
    paint();
  }

  scroller.addEventListener('scroll', () => requestAnimationFrame(paint));
  scroller.addEventListener('keydown', (e) => {
    const page = Math.floor(scroller.clientHeight / ROW);
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(selected + 1),
      ArrowUp: () => move(selected - 1),
      PageDown: () => move(selected + page),
      PageUp: () => move(selected - page),
      Home: () => move(0),
      End: () => move(shown.length - 1),
      Enter: () => shown[selected] && open(shown[selected].id),
    };
    if (keys[e.key]) {
      e.preventDefault();
      keys[e.key]();
    }
  });
  const slash = (e: KeyboardEvent) => {
    if (e.key === '/' && !(e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement)) {
      e.preventDefault();
      search.focus();
    }
  };
  document.addEventListener('keydown', slash);
  const off = traffic.onChange(refresh);
  // After the view is in the document, so paint() knows the scroller's height.
  requestAnimationFrame(refresh);
  return {
    el,
    dispose: () => {
      off();
      document.removeEventListener('keydown', slash);
    },
  };
}
