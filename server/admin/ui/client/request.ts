// One request: the answer as sent, the body as a hex dump, every decoded field linked to its bytes
// both ways (GET /__admin/requests/:id/layout), findings that jump to their offset, the protocol's
// own record (CER report, SQM v2 XML), and the tester's buttons (body, HAR, curl).

import { call, getJson } from './api.js';
import { download, fill, h, status } from './dom.js';
import { curlCommand, harOf, innermost, prettyXml, setUpRules } from './format.js';
import { hexView } from './hex.js';
import type { ByteRange, Finding, Layout, RequestDetail } from './types';

const KNOWN = new Set([
  'id',
  'receivedAt',
  'listener',
  'protocol',
  'method',
  'path',
  'status',
  'bodySize',
  'bodySha256',
  'bodyTruncated',
  'ruleName',
  'partner',
  'reason',
  'durationMs',
  'fault',
  'delayMs',
  'clientKey',
  'httpVersion',
  'headers',
  'remoteAddress',
  'responseHeaders',
  'responseBody',
  'requestXml',
  'message',
]);

const kv = (pairs: [string, string | number | boolean | null | undefined][]) =>
  h('dl', { class: 'kv' }, ...pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v === null || v === undefined || v === '' ? '—' : String(v))]));
const hex = (n: number) => `0x${n.toString(16).toUpperCase()}`;

export async function requestView(id: number, back: () => void): Promise<HTMLElement> {
  const [detail, layout, bodyRes, findings] = await Promise.all([
    getJson<RequestDetail>(`requests/${id}`),
    getJson<Layout>(`requests/${id}/layout`),
    call(`requests/${id}/body`),
    getJson<{ violations: Finding[] }>(`violations?requestId=${id}&level=all`),
  ]);
  const body = new Uint8Array(await bodyRes.arrayBuffer());
  const ranges = layout.ranges;
  const fieldEls: HTMLButtonElement[] = [];
  let marked = -1;
  const mark = (i: number, scroll: boolean) => {
    if (marked >= 0) fieldEls[marked]?.classList.remove('hl');
    marked = i;
    const f = fieldEls[i];
    if (!f) return;
    f.classList.add('hl');
    if (scroll) f.scrollIntoView({ block: 'nearest' });
  };
  const fromByte = (offset: number) => {
    const i = innermost(ranges, offset);
    if (i >= 0) {
      mark(i, true);
      dump.highlight(ranges[i].start, ranges[i].end);
    } else dump.highlight(offset, offset + 1);
  };
  const dump = hexView(body, { hover: fromByte, select: fromByte });
  ranges.forEach((r, i) => fieldEls.push(fieldButton(r, i)));

  function fieldButton(r: ByteRange, i: number): HTMLButtonElement {
    const inBody = r.space === undefined;
    const where = inBody ? `${r.start}..${r.end}` : `${r.start}..${r.end} of the decompressed data`;
    const b = h(
      'button',
      { type: 'button', class: `field${inBody ? '' : ' far'}`, 'data-path': r.path, 'data-start': r.start, 'data-end': r.end, title: `${r.path}: bytes ${where}` },
      h('span', { class: 'label' }, r.label),
      ' ',
      h('span', { class: 'range' }, `[${where})`),
      r.value !== undefined ? h('span', { class: 'value' }, r.value) : null,
    );
    b.style.paddingLeft = `${0.25 + r.depth * 1.5}em`;
    const show = () => {
      mark(i, false);
      if (inBody) dump.highlight(r.start, r.end, true);
    };
    b.addEventListener('mouseenter', show);
    b.addEventListener('focus', show);
    b.addEventListener('click', () => inBody && dump.cursorTo(r.start));
    return b;
  }

  const sessionBase = new Map(layout.sessions.map((s) => [s.id, s.bodyOffset]));
  const bodyOffset = (f: Finding): number | null => {
    if (f.offset === null || f.offset === undefined) return null;
    if (f.sessionId === null || f.sessionId === undefined) return f.offset;
    const base = sessionBase.get(f.sessionId);
    return base === null || base === undefined ? null : base + f.offset;
  };
  const findingList = h(
    'ul',
    { class: 'findings' },
    ...findings.violations.map((f) => {
      const at = bodyOffset(f);
      return h(
        'li',
        { 'data-rule': f.rule },
        h('span', { class: `lvl-${f.level}` }, f.level),
        ' ',
        h('code', {}, f.rule),
        ` (${f.specRef}) `,
        f.message,
        at !== null && at < body.length ? h('button', { type: 'button', class: 'jump', 'data-offset': at, onclick: () => dump.cursorTo(at) }, `jump to ${hex(at)}`) : null,
      );
    }),
  );
  const origin = location.origin;
  const curl = curlCommand(detail, origin);
  const buttons = h(
    'div',
    { class: 'buttons' },
    h('button', { type: 'button', onclick: back }, '← Requests'),
    h('button', { type: 'button', id: 'download-body', onclick: () => download(`request-${id}-body.bin`, body) }, 'Download raw body'),
    h(
      'button',
      { type: 'button', id: 'download-har', onclick: () => download(`request-${id}.har`, JSON.stringify(harOf(detail, body, origin), null, 2), 'application/json') },
      'Download HAR',
    ),
    h('button', { type: 'button', id: 'copy-curl', onclick: () => void copy(curl) }, 'Copy as curl'),
  );
  const rules = setUpRules(detail);
  const extra = Object.fromEntries(Object.entries(detail).filter(([k]) => !KNOWN.has(k)));
  const left = h(
    'div',
    {},
    h(
      'section',
      { class: 'panel' },
      kv([
        ['Received', detail.receivedAt],
        ['Listener', detail.listener],
        ['From', detail.remoteAddress],
        ['Client key', detail.clientKey],
        ['Protocol', detail.protocol],
        ['Partner', detail.partner],
        ['Rule', detail.ruleName ?? '(default answer)'],
        ['Fault', detail.fault],
        ['Body', `${detail.bodySize} bytes`],
      ]),
    ),
    h('h2', {}, 'Request headers'),
    h('pre', { class: 'panel' }, detail.headers.map(([k, v]) => `${k}: ${v}`).join('\n')),
    h('h2', {}, 'Answer as sent'),
    h(
      'pre',
      { class: 'panel', id: 'answer' },
      `${detail.status ?? '(no answer: ' + (detail.fault ?? '?') + ')'}\n${Object.entries(detail.responseHeaders)
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n')}\n\n${detail.responseBody ?? ''}`,
    ),
    rules.length ? h('p', { class: 'setup' }, 'This answer set up: ', rules.join('; ')) : null,
    h('h2', {}, `Findings (${findings.violations.length})`),
    findingList,
    await protocolPanel(detail),
    Object.keys(extra).length ? h('details', {}, h('summary', {}, 'More of this request (JSON)'), h('pre', {}, JSON.stringify(extra, null, 2))) : null,
    h('h2', {}, `Decoded fields (${ranges.length}${layout.omitted ? `; ${layout.omitted} more entries not listed` : ''})`),
    h('div', { class: 'fields panel', id: 'fields' }, ...fieldEls),
  );
  return h(
    'section',
    { 'aria-label': `Request ${id}` },
    h('h2', {}, `Request ${id}: ${detail.method} ${detail.path} → ${detail.status ?? '—'}`),
    buttons,
    h('div', { class: 'detail' }, left, h('div', { class: 'sticky' }, h('h2', {}, 'Body'), dump.el)),
  );
}

async function copy(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    status('curl command copied');
  } catch {
    // No clipboard permission (an insecure origin): show it to copy by hand.
    status(`curl command: ${text}`);
  }
}

interface CerReport {
  requestId: number;
  eventType: string;
  reportType: string;
  bucket: number;
  bucketTable: number;
  signature: { parameters: { id: number; name: string; value: string }[]; secondaryParameters: { name: string; value: string }[] };
  files: { filename: string; filetype: number }[];
  dumpFile: string | null;
  level2: { requestId: number; size: number; files: { name: string; size: number }[] } | null;
}

async function protocolPanel(d: RequestDetail): Promise<HTMLElement | null> {
  if (d.protocol === 'cer' || d.protocol === 'cer-level2') {
    const { reports } = await getJson<{ reports: CerReport[] }>(d.protocol === 'cer' ? `cer/reports?requestId=${d.id}` : 'cer/reports');
    const r = reports.find((x) => x.requestId === d.id || x.level2?.requestId === d.id);
    if (!r) return null;
    const el = h('section', { class: 'panel', id: 'cer-report' }, h('h2', {}, 'CER report'));
    el.append(
      kv([
        ['Event type', r.eventType],
        ['Report type', r.reportType],
        ['Bucket', r.bucket],
        ['Bucket table', r.bucketTable],
        ['DumpFile', r.dumpFile],
        ['Level 1', `request ${r.requestId}`],
      ]),
    );
    el.append(
      h('h2', {}, 'Signature'),
      table(['id', 'name', 'value'], [...r.signature.parameters.map((p) => [p.id, p.name, p.value]), ...r.signature.secondaryParameters.map((p) => ['', p.name, p.value])]),
    );
    el.append(
      h('h2', {}, 'Files the report lists'),
      table(
        ['file', 'type'],
        r.files.map((f) => [f.filename, f.filetype]),
      ),
    );
    el.append(
      h('h2', {}, 'Level-2 cabinet'),
      r.level2
        ? table(
            ['file', 'size'],
            r.level2.files.map((f) => [f.name, f.size]),
          )
        : h('p', { class: 'muted' }, 'not uploaded'),
    );
    return el;
  }
  if (d.protocol === 'sqm-v2' && typeof d.requestXml === 'string') {
    const reqs = ((d.message as { reqs?: { key: string; cmd: { nm: string; args: { nm: string; val: string }[] } | null }[] } | null)?.reqs ?? []).map((q) => [
      q.key,
      q.cmd?.nm ?? '',
      (q.cmd?.args ?? []).map((a) => `${a.nm}=${a.val}`).join(' '),
    ]);
    return h(
      'section',
      { class: 'panel', id: 'v2-xml' },
      h('h2', {}, 'SQM v2 reqs'),
      table(['key', 'cmd', 'args'], reqs),
      h('h2', {}, 'XML request'),
      h('pre', {}, prettyXml(d.requestXml)),
    );
  }
  return null;
}

function table(head: string[], rows: unknown[][]): HTMLTableElement {
  const t = h('table', {}, h('thead', {}, h('tr', {}, ...head.map((c) => h('th', {}, c)))));
  const tb = h('tbody');
  fill(tb, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, String(c))))));
  t.append(tb);
  return t;
}
