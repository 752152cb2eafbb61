import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { beforeEach } from 'vitest';
import { perFile } from '@expe/testing';

const screenshotDir = resolve(import.meta.dirname, '../../test-results/screenshots');

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught exceptions, failed requests and 5xx answers seen so far. */
  problems: string[];
  /** Fails the test when the page logged an error or a request failed. */
  assertClean(): void;
  close(): Promise<void>;
}

/**
 * Debian's Chromium (never a downloaded browser) with a new empty profile per browser. Every
 * page is watched: a console error, an uncaught exception, a failed request or a 5xx answer
 * fails the test. 4xx answers the UI expects (a declined card is a 402) are allowed, so their
 * "Failed to load resource … status of 4xx" console lines are too.
 */
export async function openBrowser(baseURL: string): Promise<TestBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'expe-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    baseURL,
    viewport: { width: 1280, height: 800 },
  });
  const problems: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = message.text();
      if (/Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return;
      problems.push(`console error on ${page.url()}: ${text}`);
    });
    page.on('pageerror', (error) => problems.push(`uncaught on ${page.url()}: ${error.message}`));
    page.on('requestfailed', (request) => {
      const failure = request.failure()?.errorText ?? 'failed';
      // A navigation cancels the previous page's in-flight requests; that is not a failure.
      if (failure === 'net::ERR_ABORTED') return;
      problems.push(`request failed: ${request.method()} ${request.url()} ${failure}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 500)
        problems.push(`${response.status()} from ${response.request().method()} ${response.url()}`);
    });
  };
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);
  return {
    context,
    page,
    problems,
    assertClean() {
      if (problems.length > 0) throw new Error(`the page had problems:\n${problems.join('\n')}`);
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The file's browser on the file's platform: opened before its first test, closed after its last.
 * With `problemsPerTest`, each test starts with no problems (a test is judged by its own).
 */
export function browserPerFile(
  platform: { url: string },
  options: { problemsPerTest?: boolean } = {},
): TestBrowser {
  const browser = perFile(
    'the browser',
    () => openBrowser(platform.url),
    (opened) => opened.close(),
  );
  if (options.problemsPerTest) {
    beforeEach(() => {
      browser.problems.length = 0;
    });
  }
  return browser;
}

/** Full-page screenshots at desktop (1280×800) and phone (390×844) width. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.screenshot({ path: join(screenshotDir, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(screenshotDir, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}
