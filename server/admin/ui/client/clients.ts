// The clients view (GET /__admin/conformance and the requests): one row per client key with its
// conversation as a timeline, what each answer set up, each violation drawn against the request
// whose answer set up the rule it breaks, and the unmet expectations.

import { getJson } from './api.js';
import { h } from './dom.js';
import { setUpRules } from './format.js';
import type { Traffic } from './traffic';
import type { ConformanceClient, Finding, RequestDetail } from './types';

/** Requests per client drawn in its timeline (the newest). */
const TIMELINE_MAX = 100;

export async function clientsView(traffic: Traffic, open: (id: number) => void): Promise<HTMLElement> {
  const report = await getJson<{ clients: ConformanceClient[]; summary: Record<string, number> }>('conformance');
  const s = report.summary;
  const el = h(
    'section',
    { 'aria-label': 'Clients' },
    h(
      'p',
      {},
      `${report.clients.length} clients; ${s.violations} violations, ${s.unmetExpectations} unmet expectations, ${s.requestFindings} request findings (warnings and errors)`,
    ),
  );
  for (const c of report.clients) el.append(await clientBlock(c, traffic, open));
  return el;
}

const reqLink = (id: number, open: (id: number) => void) => h('a', { href: `#/request/${id}`, onclick: (e: Event) => (e.preventDefault(), open(id)) }, `#${id}`);

async function clientBlock(c: ConformanceClient, traffic: Traffic, open: (id: number) => void): Promise<HTMLElement> {
  const bad = c.violations.length + c.expectations.length > 0;
  const summary = h(
    'summary',
    {},
    h('code', {}, c.clientKey),
    ` ${c.protocol}, ${c.requests} requests, `,
    h('span', { class: c.violations.length ? 'violation' : '' }, `${c.violations.length} violations`),
    ', ',
    h('span', { class: c.expectations.length ? 'lvl-expectation' : '' }, `${c.expectations.length} unmet expectations`),
  );
  const block = h('details', { class: 'client', 'data-client': c.clientKey, open: bad }, summary);
  const fillTimeline = async () => {
    if (block.dataset.filled) return;
    block.dataset.filled = '1';
    block.append(await timeline(c, traffic, open));
  };
  block.addEventListener('toggle', () => void (block.open && fillTimeline()));
  if (bad) await fillTimeline();
  return block;
}

async function timeline(c: ConformanceClient, traffic: Traffic, open: (id: number) => void): Promise<HTMLElement> {
  const ids = traffic.rows.filter((r) => r.clientKey === c.clientKey).map((r) => r.id);
  const shown = ids.slice(-TIMELINE_MAX);
  const details = await Promise.all(shown.map((id) => getJson<RequestDetail>(`requests/${id}`)));
  const against = new Map<number, Finding[]>();
  for (const v of c.violations) if (v.relatedRequestId != null) against.set(v.relatedRequestId, [...(against.get(v.relatedRequestId) ?? []), v]);
  const by = new Map<number, Finding[]>();
  for (const v of c.violations) by.set(v.requestId, [...(by.get(v.requestId) ?? []), v]);
  const list = h('ol', { class: 'timeline' });
  for (const d of details) {
    const set = setUpRules(d);
    const broken = against.get(d.id) ?? [];
    const breaks = by.get(d.id) ?? [];
    list.append(
      h(
        'li',
        { class: broken.length || breaks.length ? 'violated' : '', 'data-request': d.id },
        reqLink(d.id, open),
        ` ${d.receivedAt} ${d.method} ${d.path} → ${d.status ?? d.fault ?? '—'}${d.ruleName ? ` (rule ${d.ruleName})` : ''}`,
        ...set.map((r) => h('div', { class: 'setup' }, `sets up: ${r}`)),
        ...broken.map((v) => h('div', { class: 'violation', 'data-rule': v.rule }, `⚠ broken by `, reqLink(v.requestId, open), `: ${v.rule} (${v.specRef}) ${v.message}`)),
        ...breaks.map((v) =>
          h(
            'div',
            { class: 'violation' },
            `breaks ${v.rule}${v.relatedRequestId != null ? ' set up by ' : ''}`,
            v.relatedRequestId != null ? reqLink(v.relatedRequestId, open) : null,
          ),
        ),
      ),
    );
  }
  const parts: (HTMLElement | null)[] = [ids.length > shown.length ? h('p', { class: 'muted' }, `the newest ${shown.length} of ${ids.length} requests`) : null, list];
  if (c.expectations.length) {
    parts.push(
      h('h2', {}, 'Unmet expectations'),
      h(
        'ul',
        {},
        ...c.expectations.map((e) =>
          h('li', { class: 'lvl-expectation', 'data-rule': e.rule }, h('code', {}, e.rule), ` (${e.specRef}) ${e.message}, set up by `, reqLink(e.requestId, open)),
        ),
      ),
    );
  }
  return h('div', {}, ...parts);
}
