// The web page's figures (issue 15), printed, not asserted: time to first paint of the requests
// view with 10,000 captured requests (and until all 10,000 are listed), and time to open the page
// of one 20 MiB session. `npm run build && node bench/ui.js`; needs /usr/bin/chromium (or
// CHROMIUM_PATH) and playwright-core (a dev dependency). About a minute.

const { startMockServer } = require('../dist/server');
const { buildSqmSession } = require('../dist/server/testing');
const { chromium } = require('playwright-core');
/* global document -- the functions given to waitForFunction run in the page */

const REQUESTS = Number(process.env.UI_BENCH_REQUESTS ?? 10_000);
const CONCURRENCY = 16;
/** 120 + 8 + 12 × n bytes: just under the default 20 MiB partner limit. */
const BIG_POINTS = Math.floor((20 * 1024 * 1024 - 1024 - 128) / 12);
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

async function upload(url, bodies) {
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      // A kept-alive connection the server closed meanwhile: send again (the figures are the page's).
      const send = () => fetch(`${url}/sqm/windows/sqmserver.dll`, { method: 'POST', body });
      const res = await send().catch(send);
      if (res.status !== 200) throw new Error(`upload answered ${res.status}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

/** Milliseconds from navigation start until `selector` is in the page (measured by the page's own clock). */
async function timeTo(page, url, selector, timeout = 120_000) {
  // A fresh document each time (going to the same URL with another hash would not load it again).
  await page.goto('about:blank');
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForSelector(selector, { timeout, state: 'attached' }).catch(async (e) => {
    await page.screenshot({ path: 'test-output/ui/bench-failed.png' });
    throw e;
  });
  return page.evaluate(() => performance.now());
}

async function main() {
  const mock = await startMockServer({ port: 0, db: ':memory:', quiet: true });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ARGS });
  try {
    const t0 = Date.now();
    const bodies = Array.from({ length: REQUESTS }, (_, i) =>
      buildSqmSession({ header: { clientUploadTime: BigInt(i + 1) }, sections: [{ type: 'dword', datapoints: [{ id: 6, value: i }] }] }),
    );
    await upload(mock.url, bodies);
    const seeded = Date.now() - t0;
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    if (process.env.UI_BENCH_DEBUG) page.on('response', (r) => console.log(r.status(), r.url())).on('pageerror', (e) => console.log(e.message));
    const figures = {};
    for (const run of [1, 2]) {
      const firstRow = await timeTo(page, `${mock.url}/__admin/ui/#/requests`, '.row');
      const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
      await page.waitForFunction((n) => document.querySelector('.count')?.textContent === `${n} of ${n} requests`, REQUESTS, { timeout: 120_000 });
      const all = await page.evaluate(() => performance.now());
      const t = Date.now();
      await page.fill('input[type=search]', 'no-such-rule');
      await page.waitForFunction(() => document.querySelectorAll('.row').length === 0);
      figures[`run ${run}`] = { firstContentfulPaintMs: fcp && Math.round(fcp), firstRowsMs: Math.round(firstRow), all10kListedMs: Math.round(all), filterMs: Date.now() - t };
    }
    const big = buildSqmSession({ sections: [{ type: 'dword', datapoints: Array.from({ length: BIG_POINTS }, (_, i) => ({ id: i, value: i })) }] });
    await upload(mock.url, [big]);
    const id = (await mock.client.requests({ limit: 1 }))[0].id;
    const open = [];
    for (let i = 0; i < 2; i++) {
      const ready = await timeTo(page, `${mock.url}/__admin/ui/#/request/${id}`, 'body[data-ready="request"] .hex .hexrow');
      const t = Date.now();
      await page.hover('button.field[data-path="sessions[0].header.studyIdentifier"]');
      await page.locator('.hex').evaluate((el) => (el.scrollTop = el.scrollHeight));
      await page.waitForTimeout(50);
      open.push({ openMs: Math.round(ready), hoverAndScrollToEndMs: Date.now() - t - 50 });
    }
    console.log(JSON.stringify({ requests: REQUESTS, seededMs: seeded, list: figures, bigSession: { bytes: big.length, dataPoints: BIG_POINTS, runs: open } }, null, 2));
  } finally {
    await browser.close();
    await mock.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
