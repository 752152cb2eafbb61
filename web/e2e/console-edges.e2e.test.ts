import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  onboardMerchant,
  type OnboardedMerchant,
  type TestPlatform,
} from '../../test/support/test-platform.js';
import { openBrowser, type TestBrowser } from './support/browser.js';
import { headerLayout, visibleTextMatching } from './support/page-layout.js';
import { payWithCard, startWebPlatform } from './support/platform.js';

// The console's rough edges a new merchant ran into (issue 26): destructive actions without a
// question, a selection lost on reload, a header that wrapped, "Sign up" for the signed in, and
// a socket marker that read as live mode.
describe('console: confirmations, reloads, header and wording', () => {
  let platform: TestPlatform;
  let browser: TestBrowser;
  let merchant: OnboardedMerchant;

  const api = (method: string, path: string, body?: unknown) =>
    platform.api(method, path, {
      token: merchant.key.secret,
      ...(body === undefined ? {} : { body }),
    });

  const paidPayment = (amount: number) => payWithCard(platform, merchant.key.secret, { amount });

  /**
   * Clicks `trigger`, checks that a dialog opens naming `named`, declines it and checks nothing
   * happened, then clicks again and confirms with `confirmLabel`.
   */
  async function declineThenConfirm(
    page: Page,
    trigger: Locator,
    named: (string | RegExp)[],
    confirmLabel: string,
    nothingHappened: () => Promise<void>,
  ) {
    await trigger.click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    for (const text of named) await expect.poll(() => dialog.textContent()).toMatch(text);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await nothingHappened();
    await trigger.click();
    const confirm = dialog.getByRole('button', { name: confirmLabel, exact: true });
    await confirm.click();
    await confirm.waitFor({ state: 'hidden' });
  }

  beforeAll(async () => {
    platform = await startWebPlatform();
    merchant = await onboardMerchant(platform, 'edges');
    browser = await openBrowser(platform.url);
    const { page } = browser;
    await page.goto('/signin');
    await page.getByLabel('Email').fill(merchant.email);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/dashboard');
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  it('when a refund, payout, cancel, key roll or endpoint delete is clicked, then a dialog names the amount or object and nothing happens until it is confirmed', async () => {
    const { page } = browser;

    // Refund with the amount left empty: the whole payment, so the dialog says how much.
    const refunded = await paidPayment(123_400);
    await page.goto(`/payments/${refunded}`);
    await page.getByTestId('payment-status').getByText('succeeded').waitFor();
    const refunds = async () =>
      (await api('GET', `/v1/refunds?payment=${refunded}`)).body.data as unknown[];
    await declineThenConfirm(
      page,
      page.getByRole('button', { name: 'Refund', exact: true }),
      [`Refund ₹1,234.00 of ${refunded}?`],
      'Refund ₹1,234.00',
      async () => expect(await refunds()).toEqual([]),
    );
    await page.getByTestId('refunds').getByText('₹1,234.00').waitFor();
    expect(await refunds()).toHaveLength(1);

    // Cancel a payment nobody has paid yet: its amount and id are named.
    const open = await api('POST', '/v1/payments', { amount: 25_000, currency: 'inr' });
    await page.goto(`/payments/${open.body.id}`);
    const status = async () =>
      (await api('GET', `/v1/payments/${open.body.id}`)).body.status as string;
    await declineThenConfirm(
      page,
      page.getByRole('button', { name: 'Cancel payment' }),
      ['₹250.00', open.body.id as string],
      'Cancel payment',
      async () => expect(await status()).toBe('requires_payment_method'),
    );
    await page.getByTestId('payment-status').getByText('canceled').waitFor();

    // A payout from the available balance (paid two days ago) names the amount and the VPA.
    await paidPayment(100_000);
    const advanced = await api('POST', '/v1/test_helpers/clock/advance', { seconds: 172_800 });
    expect(advanced.status, advanced.text).toBe(200);
    await page.getByRole('link', { name: 'Balance' }).first().click();
    await page.getByLabel('Payout amount (INR)').fill('500');
    const payouts = async () => (await api('GET', '/v1/payouts')).body.data as unknown[];
    await declineThenConfirm(
      page,
      page.getByRole('button', { name: 'Pay out' }),
      ['Pay out ₹500.00 to success@expe?'],
      'Pay out ₹500.00',
      async () => expect(await payouts()).toEqual([]),
    );
    await page.getByTestId('payouts-table').getByText('₹500.00').waitFor();

    // Rolling a key names the key and its secret's visible part.
    await page.getByRole('link', { name: 'Developers' }).first().click();
    const keys = page.getByTestId('api-keys');
    const secrets = async () => {
      const listed = await platform.api('GET', `/v1/projects/${merchant.project.id}/api_keys`, {
        token: merchant.token,
      });
      return listed.body.data[0].expiring_secrets as unknown[];
    };
    await declineThenConfirm(
      page,
      keys.getByRole('button', { name: 'Roll' }),
      ['server', merchant.key.secret_masked],
      'Roll key',
      async () => expect(await secrets()).toEqual([]),
    );
    await page.getByRole('dialog', { name: 'Your new secret key' }).waitFor();
    await page.getByRole('button', { name: 'Done' }).click();

    // Deleting a webhook endpoint names its URL.
    const url = 'https://hooks.example.com/expe';
    const endpoint = await api('POST', '/v1/webhook_endpoints', { url, enabled_events: ['*'] });
    expect(endpoint.status, endpoint.text).toBe(201);
    await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
    const endpoints = async () =>
      (await api('GET', '/v1/webhook_endpoints')).body.data as unknown[];
    await declineThenConfirm(
      page,
      page.getByTestId('endpoints').getByRole('button', { name: 'Delete' }),
      [url],
      'Delete endpoint',
      async () => expect(await endpoints()).toHaveLength(1),
    );
    await page.getByText('Endpoint deleted').waitFor();
    expect(await endpoints()).toEqual([]);
    browser.assertClean();
  });

  it('when /developers is reloaded, then the chosen project and mode are kept and the test clock says what is true', async () => {
    const { page } = browser;
    await page.goto('/developers');
    await page.getByLabel('New project name').fill('Second project');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const second = page
      .getByTestId('projects')
      .getByRole('button', { name: 'Second project', exact: true });
    await expect.poll(() => second.getAttribute('aria-pressed')).toBe('true');

    await page.reload();
    await page.getByTestId('test-clock').waitFor();
    await expect.poll(() => second.getAttribute('aria-pressed')).toBe('true');
    await page.getByText('API keys · Second project').waitFor();

    // In live mode the card says how to get the clock, and a reload stays in live mode.
    const modes = page.getByRole('group', { name: 'Data mode' });
    await modes.getByRole('button', { name: 'live' }).click();
    const clock = page.getByTestId('test-clock-state');
    await expect.poll(() => clock.textContent()).toMatch(/Switch to test mode/);
    await page.reload();
    await expect
      .poll(() => modes.getByRole('button', { name: 'live' }).getAttribute('aria-pressed'))
      .toBe('true');
    expect(await clock.textContent()).not.toMatch(/Choose a test key/);
    await modes.getByRole('button', { name: 'test' }).click();
    await page.getByTestId('test-clock').waitFor();
    browser.assertClean();
  });

  it('when the window is 1440, 1280, 1024, 800 or 390 px wide, then the header is one row and nothing overflows sideways', async () => {
    const { page } = browser;
    await page.goto('/dashboard');
    await page.getByTestId('stats').waitFor();
    for (const width of [1440, 1280, 1024, 800, 390]) {
      await page.setViewportSize({ width, height: 900 });
      const header = page.locator('header').first();
      await expect
        .poll(async () => (await header.boundingBox())?.height, { message: `${width}px header` })
        .toBe(57);
      const layout = await headerLayout(page);
      expect(layout.overflow, `${width}px overflows`).toBe(0);
      expect(layout.wrappedLinks, `${width}px links on two lines`).toEqual([]);
      expect(layout.linkRows, `${width}px link rows`).toBeLessThanOrEqual(1);
      // Every width reaches every page: either the links are shown or the menu button is.
      if (layout.linkRows === 0) expect(layout.hasMenuButton, `${width}px menu`).toBe(true);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
    expect(await links.count()).toBe(9);
    for (const link of await links.all()) expect(await link.isVisible()).toBe(true);
    await page.setViewportSize({ width: 1280, height: 800 });
    browser.assertClean();
  });

  it('when signed in, then the footer offers no sign-up and nothing but live mode says "live"', async () => {
    const { page } = browser;
    await page.goto('/dashboard');
    const status = page.getByTestId('realtime-status');
    await expect.poll(() => status.getAttribute('data-status')).toBe('live');
    expect(await status.textContent()).toBe('Connected');
    expect(await status.getAttribute('title')).toMatch(/updates by itself/);
    const saysLive = await visibleTextMatching(page, /\blive\b/i, '[aria-label="Data mode"]');
    expect(saysLive).toEqual([]);

    const footer = page.getByRole('navigation', { name: 'Footer' });
    await footer.getByRole('link', { name: 'API docs' }).waitFor();
    expect(await footer.getByRole('link', { name: 'Sign up' }).count()).toBe(0);

    // Signed out, the footer offers it again.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signin');
    await footer.getByRole('link', { name: 'Sign up' }).waitFor();
    browser.assertClean();
  });
});
