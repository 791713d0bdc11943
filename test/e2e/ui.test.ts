// The web page at /__admin/ui in a real browser (Debian chromium via playwright-core): the
// MS-SQMCS 4.1 capture, a v2 flow, a CER two-level flow and a throttle-ignoring client, then the
// live list, StudyIdentifier ↔ bytes 104..107, a finding's jump, the client timeline's violation,
// the scenario view and the buttons; a screenshot of each view under test-output/ui/.

import type { Page } from 'playwright-core';
import { buildCabinet, buildSqmSession, buildSqmV2Message, responseCommands } from '../../server/testing';
import { screenshotPath, useChromium } from '../helpers/browser';
import { fixture, win7Capture } from '../helpers/fixtures';
import { useMock } from '../helpers/lifecycle';

const mock = useMock();
const chromium = useChromium();

/** Skips (with the reason printed once in beforeAll) where chromium cannot be had. */
const inBrowser = (name: string, fn: (page: Page) => Promise<void>) =>
  it(
    name,
    async () => {
      const browser = chromium.current();
      if (!browser) return;
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: mock.url });
      const page = await context.newPage();
      page.on('pageerror', (e) => console.warn(`page error: ${e.message}`));
      try {
        await fn(page);
      } finally {
        await context.close();
      }
    },
    60_000,
  );

/** Polls the page until `f` holds (the page updates itself every second). */
async function until(what: string, f: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`the page did not show ${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sqm = (body: Buffer) => fetch(`${mock.url}/sqm/windows/sqmserver.dll`, { method: 'POST', body });

/** The four flows of the issue; returns the ids of the requests the assertions look at. */
async function traffic() {
  await sqm(win7Capture());
  const [capture] = await mock.client.requests();
  const approved = responseCommands(await (await sqm(buildSqmV2Message({ cmd: 'requpload' }))).text())['1'];
  await sqm(buildSqmV2Message({ cmd: 'dataupload', token: approved.args.token, sessions: [buildSqmSession()] }));
  const level1 = await (await fetch(`${mock.url}/stage2.htm`, { method: 'POST', body: fixture('cer', 'werreport-4.1.xml') })).text();
  const dumpFile = /^DumpFile=(.+)$/m.exec(level1)![1].trim();
  await fetch(`${mock.url}${dumpFile.replace(/\\/g, '/')}`, { method: 'PUT', body: buildCabinet([{ name: 'Version.txt', data: Buffer.from('v') }]) });
  await mock.client.setScenario({ rules: [{ name: 'throttle-7', times: 1, respond: { sqm: { throttleInterval: 7 } } }] });
  const other = { clientUniqueIdentifier: '{11111111-2222-3333-4444-555555555555}' };
  await sqm(buildSqmSession({ header: { ...other, clientUploadTime: 1n } }));
  await mock.client.advanceClock(86400);
  await sqm(buildSqmSession({ header: { ...other, clientUploadTime: 2n } }));
  const all = await mock.client.requests();
  return { capture: capture.id, throttled: all[all.length - 2].id, ignoring: all[all.length - 1].id, total: all.length };
}

const open = async (page: Page, hash = '#/requests') => {
  await page.goto(`${mock.url}/__admin/ui/${hash}`);
  await page.waitForSelector(`body[data-ready="${hash.split('/')[1]}"]`);
};

inBrowser('the live list shows every request of the four flows, newest first, and one uploaded while it is open', async (page) => {
  const { total } = await traffic();
  await open(page);
  await until(`${total} rows`, async () => (await page.locator('.row').count()) === total);
  const protocols = await page.$$eval('.row', (rows) => rows.map((r) => r.children[3].textContent));
  expect(protocols).toEqual(['sqm-v1', 'sqm-v1', 'cer-level2', 'cer', 'sqm-v2', 'sqm-v2', 'sqm-v1']);
  await page.screenshot({ path: screenshotPath('requests') });
  await sqm(win7Capture());
  await until(`${total + 1} rows`, async () => (await page.locator('.row').count()) === total + 1);
  await page.selectOption('select[data-filter="protocol"]', 'cer');
  expect(await page.$$eval('.row', (rows) => rows.map((r) => r.children[3].textContent))).toEqual(['cer']);
  await page.selectOption('select[data-filter="protocol"]', '');
  await page.fill('input[type=search]', 'throttle-7');
  expect(await page.$$eval('.row', (rows) => rows.map((r) => r.children[7].textContent))).toEqual(['throttle-7']);
});

inBrowser('the 4.1 capture: StudyIdentifier highlights bytes 104..107 and a byte leads back to its field; a finding jumps to its offset', async (page) => {
  const { capture } = await traffic();
  await open(page);
  // Keyboard: the list has the focus; End goes to the oldest (the capture), Enter opens it.
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.waitForSelector(`body[data-ready="request"]`);
  expect(page.url()).toContain(`#/request/${capture}`);
  await page.hover('button.field[data-path="sessions[0].header.studyIdentifier"]');
  const lit = await page.$$eval('.hex b.hl', (bs) => [...new Set(bs.map((b) => Number(b.getAttribute('data-o'))))]);
  expect(lit).toEqual([104, 105, 106, 107]);
  await page.screenshot({ path: screenshotPath('request-sqm-v1'), fullPage: true });
  // Back: hovering a byte of ClientUniqueIdentifier (72..87) marks that field.
  await page.hover('.hex b[data-o="80"]');
  expect(await page.getAttribute('button.field.hl', 'data-path')).toBe('sessions[0].header.clientUniqueIdentifier');
  // sqm-v1.string-layout is reported at the STRING section's head, offset 620.
  // By keyboard, with the pointer out of the way (what it hovers would take the highlight).
  await page.mouse.move(0, 0);
  await page.focus('li[data-rule="sqm-v1.string-layout"] button.jump');
  await page.keyboard.press('Enter');
  // The jump scrolls the dump and draws its rows in a later frame: wait for the cursor to be drawn.
  await page.waitForSelector('.hex b.cur', { timeout: 10_000 });
  expect(await page.$eval('.hex b.cur', (b) => b.getAttribute('data-o'))).toBe('620');
  expect(await page.getAttribute('button.field.hl', 'data-path')).toBe('sessions[0].sections[1].type');
  expect(await page.textContent('#answer')).toMatch(/^200/);
});

inBrowser('the v2 and CER pages: the dataupload slice holds its session, the WERREPORT fields their UTF-16 bytes, the level-2 cabinet its files', async (page) => {
  await traffic();
  const all = await mock.client.requests();
  const upload = all.find((r) => r.protocol === 'sqm-v2' && r.bodySize > 1000)!;
  await open(page, `#/request/${upload.id}`);
  const slice = await page.$eval('button.field[data-path="payload.req[1]"]', (b) => [b.getAttribute('data-start'), b.getAttribute('data-end')]);
  const header = await page.$eval('button.field[data-path="sessions[0].header"]', (b) => [b.getAttribute('data-start'), b.getAttribute('data-end')]);
  expect(header).toEqual(slice);
  expect(await page.textContent('#v2-xml')).toContain('dataupload');
  await page.screenshot({ path: screenshotPath('request-sqm-v2') });
  const cer = all.find((r) => r.protocol === 'cer')!;
  await open(page, `#/request/${cer.id}`);
  const body = fixture('cer', 'werreport-4.1.xml');
  await page.hover('button.field[data-path="xml/WERREPORT/EVENTINFO@eventtype"]');
  const bytes = await page.$$eval('.hex b.hl', (bs) => [...new Set(bs.map((b) => Number(b.getAttribute('data-o'))))]);
  expect(Buffer.from(bytes.map((o) => body[o])).toString('utf16le')).toBe('APPCRASH');
  expect(await page.textContent('#cer-report')).toContain('GPFMe.exe');
  await page.screenshot({ path: screenshotPath('request-cer') });
  const level2 = all.find((r) => r.protocol === 'cer-level2')!;
  await open(page, `#/request/${level2.id}`);
  expect(await page.textContent('#cer-report')).toMatch(/Level-2 cabinet\s*filesize\s*Version\.txt1/);
});

inBrowser('clients: the throttle-ignoring client’s timeline draws the violation against the 201 that set the throttle up', async (page) => {
  const { throttled, ignoring } = await traffic();
  await open(page, '#/clients');
  const client = page.locator('details[data-client="windows/{11111111-2222-3333-4444-555555555555}"]');
  await client.locator(`li[data-request="${throttled}"] .violation[data-rule="sqm-v1.throttle-ignored"]`).waitFor();
  expect(await client.locator(`li[data-request="${throttled}"] .setup`).textContent()).toContain('throttle: no upload for 7 days');
  expect(await client.locator(`li[data-request="${ignoring}"]`).getAttribute('class')).toBe('violated');
  // The CER client has no violation; its timeline opens on demand.
  expect(await page.locator('details[data-client="127.0.0.1"]').getAttribute('open')).toBeNull();
  await page.screenshot({ path: screenshotPath('clients'), fullPage: true });
});

inBrowser('scenario: hit counts, a refused document with its line marked, then a good one loaded', async (page) => {
  await traffic();
  await open(page, '#/scenario');
  expect(await page.textContent('#rule-hits tr[data-rule="throttle-7"] .hits')).toBe('1');
  await page.fill('#scenario-text', 'name: broken\nrules:\n  - name: a\n    respond:\n      status: abc\n');
  await page.click('#scenario-load');
  await page.waitForSelector('#scenario-errors .src.bad');
  expect(await page.getAttribute('#scenario-errors .src.bad', 'data-line')).toBe('5');
  expect(await page.textContent('#scenario-errors')).toContain('rules[0].respond.status');
  await page.screenshot({ path: screenshotPath('scenario-error'), fullPage: true });
  await page.fill('#scenario-text', 'name: from-the-page\nrules:\n  - name: slow\n    respond: { delayMs: 1 }\n');
  await page.click('#scenario-load');
  await page.waitForSelector('#rule-hits tr[data-rule="slow"]');
  expect((await mock.client.scenario()).name).toBe('from-the-page');
  await page.screenshot({ path: screenshotPath('scenario'), fullPage: true });
});

inBrowser('buttons: download body and HAR, copy as curl, advance the clock, reset the store; dark mode', async (page) => {
  const { capture } = await traffic();
  await open(page, `#/request/${capture}`);
  const [body] = await Promise.all([page.waitForEvent('download'), page.click('#download-body')]);
  expect(Buffer.from(await streamBytes(await body.createReadStream())).equals(win7Capture())).toBe(true);
  const [har] = await Promise.all([page.waitForEvent('download'), page.click('#download-har')]);
  const log = JSON.parse(Buffer.from(await streamBytes(await har.createReadStream())).toString('utf8')).log;
  expect(Buffer.from(log.entries[0].request.postData.text, 'base64').equals(win7Capture())).toBe(true);
  expect(log.entries[0].response.status).toBe(200);
  await page.click('#copy-curl');
  expect(await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).toBe(
    `curl -X POST '${mock.url}/sqm/windows/sqmserver.dll' -H 'accept: */*' -H 'accept-language: *' -H 'sec-fetch-mode: cors' -H 'user-agent: node' --data-binary @request-${capture}-body.bin`,
  );
  const before = (await mock.client.clock()).offsetSeconds;
  await page.fill('#advance', '3600');
  await page.click('#advance-go');
  await until('the new clock', async () => (await page.textContent('#clock'))!.includes(`+${before + 3600} s`));
  expect((await mock.client.clock()).offsetSeconds).toBe(before + 3600);
  page.on('dialog', (d) => void d.accept());
  await page.click('#reset');
  await until('store reset', async () => (await page.textContent('#status')) === 'store reset');
  expect(await mock.client.requests()).toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  await traffic();
  await open(page);
  await page.waitForSelector('.row');
  expect(
    await page.evaluate(() => {
      const g = globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string }; document: { body: unknown } };
      return g.getComputedStyle(g.document.body).backgroundColor;
    }),
  ).toBe('rgb(23, 24, 26)');
  await page.screenshot({ path: screenshotPath('requests-dark') });
});

async function streamBytes(s: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

it('the page and its modules are served with a strict CSP; nothing else of dist/ is', async () => {
  // The token side is ui-token.test.ts, with a server of its own.
  const res = await fetch(`${mock.url}/__admin/ui/`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect((await fetch(`${mock.url}/__admin/ui/main.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  expect((await fetch(`${mock.url}/__admin/ui/route.js`)).status).toBe(404);
  expect((await fetch(`${mock.url}/__admin/ui/%2e%2e%2froute.js`)).status).toBe(404);
  const bare = await fetch(`${mock.url}/__admin/ui`, { redirect: 'manual' });
  expect([bare.status, bare.headers.get('location')]).toEqual([301, '/__admin/ui/']);
});
