// The page's entry (GET /__admin/ui/main.js): the token prompt, the clock and the tester's buttons
// in the header, and the views by the URL's hash: #/requests, #/request/<id>, #/clients, #/scenario.

import { ApiError, getJson, sendJson, token, whenUnauthorized } from './api.js';
import { fill, h, status } from './dom.js';
import { clientsView } from './clients.js';
import { requestsView, type ListView } from './list.js';
import { requestView } from './request.js';
import { scenarioView } from './scenario.js';
import { Traffic } from './traffic.js';

const traffic = new Traffic();
const view = document.getElementById('view')!;
const login = document.getElementById('login') as HTMLFormElement;
let list: ListView | null = null;
let started = false;

const report = (e: unknown) => status(e instanceof Error ? e.message : String(e), true);
const openRequest = (id: number) => void (location.hash = `#/request/${id}`);

async function route(): Promise<void> {
  const hash = location.hash || '#/requests';
  const [, name, arg] = /^#\/([a-z]+)(?:\/(\d+))?/.exec(hash) ?? [null, 'requests', undefined];
  for (const a of document.querySelectorAll('nav a')) a.toggleAttribute('aria-current', false);
  document.querySelector(`nav a[data-view="${name === 'request' ? 'requests' : name}"]`)?.setAttribute('aria-current', 'page');
  list?.dispose();
  list = null;
  document.body.dataset.view = name;
  try {
    if (name === 'request' && arg) {
      fill(view, h('p', { class: 'muted' }, `loading request ${arg}…`));
      fill(view, await requestView(Number(arg), () => history.back()));
    } else if (name === 'clients') fill(view, await clientsView(traffic, openRequest));
    else if (name === 'scenario') fill(view, await scenarioView(traffic));
    else {
      list = requestsView(traffic, openRequest);
      fill(view, list.el);
      list.el.querySelector<HTMLElement>('.scroller')?.focus({ preventScroll: true });
    }
    document.body.dataset.ready = name;
  } catch (e) {
    report(e);
  }
}

async function clock(): Promise<void> {
  const c = await getJson<{ now: string; offsetSeconds: number }>('clock');
  document.getElementById('clock')!.textContent = `clock ${c.now.slice(0, 19)}Z${c.offsetSeconds ? ` (+${c.offsetSeconds} s)` : ''}`;
}

function start(): void {
  if (started) return;
  started = true;
  traffic.start(report);
  void clock().catch(report);
  void route();
}

document.getElementById('reset')!.addEventListener('click', () => {
  if (!confirm('Empty the store, the scenario’s counters, the conversation state and the clock offset?')) return;
  sendJson('POST', 'reset', {})
    .then(() => {
      traffic.clear();
      // The request on screen, if any, is gone with the store.
      if (location.hash.startsWith('#/request/')) location.hash = '#/requests';
      return Promise.all([traffic.load(), clock(), route()]);
    })
    .then(() => status('store reset'))
    .catch(report);
});
document.getElementById('advance-go')!.addEventListener('click', () => {
  const seconds = Number((document.getElementById('advance') as HTMLInputElement).value);
  sendJson('POST', 'clock', { advanceSeconds: seconds })
    .then(() => clock())
    .then(() => status(`clock advanced ${seconds} s`))
    .catch(report);
});
login.addEventListener('submit', (e) => {
  e.preventDefault();
  token.set((document.getElementById('token') as HTMLInputElement).value);
  login.hidden = true;
  status('');
  start();
  void route();
});
whenUnauthorized(() => {
  token.clear();
  traffic.stop();
  started = false;
  login.hidden = false;
  status('the admin API needs its token', true);
  (document.getElementById('token') as HTMLInputElement).focus();
});
window.addEventListener('hashchange', () => void route());
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && document.body.dataset.view === 'request') history.back();
});

// Ask the API once: 401 means a token is needed (and the prompt shows); anything else, go.
getJson('health')
  .then(start)
  .catch((e: unknown) => (e instanceof ApiError && e.status === 401 ? undefined : (report(e), start())));
