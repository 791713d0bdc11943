// A real browser for the web page's tests: Debian's chromium (apt-get install chromium; .ci/run
// installs it) driven by playwright-core. Where it cannot be had, the tests skip and say why.

import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where the screenshots go (git-ignored). */
export const SCREENSHOTS = path.resolve(__dirname, '../../test-output/ui');

/** Flags for a closed network: no background connections, no first-run work (Playwright gives each launch a fresh profile). */
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

/** Launches chromium, or returns the reason it cannot (the caller skips with it). */
export async function launchChromium(): Promise<{ browser: Browser } | { skip: string }> {
  if (!fs.existsSync(CHROMIUM)) return { skip: `no chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH); the browser tests of the web page are skipped` };
  try {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 60_000 });
    return { browser };
  } catch (e) {
    return { skip: `chromium at ${CHROMIUM} did not start (${(e as Error).message.split('\n')[0]}); the browser tests of the web page are skipped` };
  }
}

export const screenshotPath = (name: string): string => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return path.join(SCREENSHOTS, `${name}.png`);
};

/**
 * Launches chromium once for the file's tests (closed after them); `current()` is null where it
 * cannot be had, and the reason is printed once, so each test can skip.
 */
export function useChromium(): { current: () => Browser | null } {
  let browser: Browser | null = null;
  beforeAll(async () => {
    const got = await launchChromium();
    if ('skip' in got) console.warn(got.skip);
    else browser = got.browser;
  }, 90_000);
  afterAll(() => browser?.close());
  return { current: () => browser };
}
