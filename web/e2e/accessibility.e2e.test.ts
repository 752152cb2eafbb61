import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPlatform } from '../../test/support/test-platform.js';
import { axeFindings, isSerious, tabTo, type AxeFinding } from './support/accessibility.js';
import { openBrowser, type TestBrowser } from './support/browser.js';
import { password, startWebPlatform, uniqueEmail } from './support/platform.js';

// Every page of the router, as the role it is for, checked by axe-core with the WCAG 2 A/AA
// rules in Chromium: nothing serious or critical. New pages are picked up from router.tsx.
// All findings (minor ones included) are written to web/test-results/axe.json.

type Role = 'anonymous' | 'user' | 'merchant';
interface RoutePage {
  path: string;
  role: Role;
}

/** The pages of web/src/app/router.tsx with the role that can see each. */
function routerPages(): RoutePage[] {
  const source = readFileSync(resolve(import.meta.dirname, '../src/app/router.tsx'), 'utf8');
  const table = source.slice(source.indexOf('export const routes'));
  const chunks = table.split(/path: '/).slice(1);
  return chunks.map((chunk) => {
    const path = chunk.slice(0, chunk.indexOf("'"));
    // Each chunk runs to the next route: its `page(…, roles)` call names the roles.
    const role: Role = /merchant/.test(chunk)
      ? 'merchant'
      : /\['user'\]/.test(chunk)
        ? 'user'
        : 'anonymous';
    return { path, role };
  });
}

let platform: TestPlatform;
let anonymous: TestBrowser;
let wallet: TestBrowser;
let merchant: TestBrowser;
let paymentId = '';
let checkoutPath = '';
const results: Record<string, AxeFinding[]> = {};

async function signIn(browser: TestBrowser, email: string) {
  await browser.page.goto('/signin');
  await browser.page.getByLabel('Email').fill(email);
  await browser.page.getByLabel('Password').fill(password);
  await browser.page.getByRole('button', { name: 'Sign in' }).click();
  await browser.page.waitForURL(/\/(wallet|dashboard)/);
}

beforeAll(async () => {
  platform = await startWebPlatform();
  const register = async (role: 'user' | 'merchant') => {
    const email = uniqueEmail(`a11y-${role}`);
    const response = await platform.api('POST', '/v1/auth/register', {
      body: { email, password, name: role === 'user' ? 'Asha' : 'A11y Shop', role },
    });
    expect(response.status, response.text).toBe(201);
    return { email, token: response.body.access_token as string };
  };
  const person = await register('user');
  const owner = await register('merchant');
  const project = await platform.api('POST', '/v1/projects', {
    token: owner.token,
    body: { name: 'A11y project' },
  });
  const payment = await platform.api('POST', '/v1/payments', {
    token: owner.token,
    headers: { 'expe-project': project.body.id, 'expe-mode': 'test' },
    body: { amount: 49_900, currency: 'inr', description: 'Blue kurta' },
  });
  expect(payment.status, payment.text).toBe(201);
  paymentId = payment.body.id;
  checkoutPath = new URL(payment.body.checkout_url as string, platform.url).pathname;
  checkoutPath += `#${payment.body.client_secret as string}`;
  anonymous = await openBrowser(platform.url);
  wallet = await openBrowser(platform.url);
  merchant = await openBrowser(platform.url);
  await signIn(wallet, person.email);
  await signIn(merchant, owner.email);
});

afterAll(async () => {
  const dir = resolve(import.meta.dirname, '../test-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'axe.json'), `${JSON.stringify(results, null, 2)}\n`);
  await merchant?.close();
  await wallet?.close();
  await anonymous?.close();
  await platform?.close();
});

describe('accessibility (axe-core, WCAG 2 A/AA)', () => {
  it('when every page of the router is opened as its role, then axe finds nothing serious or critical', async () => {
    const pages = routerPages();
    expect(pages.length).toBeGreaterThanOrEqual(15);
    const skipped: string[] = [];
    for (const { path, role } of pages) {
      let url = path;
      if (path === '*') url = '/no-such-page';
      else if (path === '/pay/:id') url = checkoutPath;
      else if (path === '/payments/:id') url = `/payments/${paymentId}`;
      else if (path.includes(':')) {
        skipped.push(path);
        continue;
      }
      const browser = role === 'merchant' ? merchant : role === 'user' ? wallet : anonymous;
      await browser.page.goto(url);
      // Lazy pages: wait for the page's heading (or give up on it and check what is there).
      await browser.page
        .locator('h1')
        .first()
        .waitFor({ timeout: 15_000 })
        .catch(() => undefined);
      await browser.page.waitForLoadState('networkidle').catch(() => undefined);
      results[`${role} ${path}`] = await axeFindings(browser.page);
    }

    const serious = Object.fromEntries(
      Object.entries(results)
        .map(([page, findings]) => [page, findings.filter(isSerious)] as const)
        .filter(([, findings]) => findings.length > 0),
    );
    expect(serious).toEqual({});
    // Pages with a parameter this test does not know how to fill: add them above.
    expect(skipped).toEqual([]);
  });

  it('when a customer pays using the keyboard only, then the checkout completes', async () => {
    const { page } = anonymous;
    await page.goto(checkoutPath);
    await page.getByTestId('checkout-amount').waitFor();

    await tabTo(page, /Card number/);
    await page.keyboard.type('4242 4242 4242 4242');
    await tabTo(page, /Expiry/);
    await page.keyboard.type('12/30');
    await tabTo(page, /CVC/);
    await page.keyboard.type('123');
    await tabTo(page, /^Pay ₹499\.00/);
    await page.keyboard.press('Enter');

    await page.getByTestId('checkout-success').waitFor({ timeout: 15_000 });
    anonymous.assertClean();
  });
});
