// The web page behind --admin-token: its files load without the token, it asks for the token,
// keeps it in sessionStorage and sends it as `Authorization: Bearer` on every admin API call.

import { win7Capture } from '../helpers/fixtures';
import { screenshotPath, useChromium } from '../helpers/browser';
import { useMock } from '../helpers/lifecycle';

const mock = useMock({ adminToken: 's3cret' });
const chromium = useChromium();

it('the files need no token; the data does', async () => {
  expect((await fetch(`${mock.url}/__admin/ui/`)).status).toBe(200);
  expect((await fetch(`${mock.url}/__admin/ui/main.js`)).status).toBe(200);
  expect((await fetch(`${mock.url}/__admin/requests`)).status).toBe(401);
  expect((await fetch(`${mock.url}/__admin/requests/1/layout`)).status).toBe(401);
});

it('the page asks for the token, keeps it for the tab and lists the requests with it', async () => {
  const browser = chromium.current();
  if (!browser) return;
  await fetch(`${mock.url}/sqm/windows/sqmserver.dll`, { method: 'POST', body: win7Capture() });
  const context = await browser.newContext();
  const page = await context.newPage();
  const auth: (string | undefined)[] = [];
  page.on('request', (r) => void (r.url().includes('/__admin/requests') && auth.push(r.headers().authorization)));
  await page.goto(`${mock.url}/__admin/ui/`);
  await page.waitForSelector('#login:not([hidden])');
  await page.screenshot({ path: screenshotPath('token') });
  await page.fill('#token', 's3cret');
  await page.click('#login button[type=submit]');
  await page.locator('.row').first().waitFor();
  expect(await page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem('sqm-cer-mock.admin-token'))).toBe(
    's3cret',
  );
  expect(auth.length).toBeGreaterThan(0);
  expect(auth.every((a) => a === 'Bearer s3cret')).toBe(true);
  // A reload in the same tab keeps the token: no prompt.
  await page.reload();
  await page.locator('.row').first().waitFor();
  expect(await page.isHidden('#login')).toBe(true);
  await context.close();
}, 60_000);
