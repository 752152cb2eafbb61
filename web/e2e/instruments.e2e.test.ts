import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodePng } from '@expe/testing';
import type { TestPlatform } from '../../test/support/test-platform.js';
import { openBrowser, screenshot, type TestBrowser } from './support/browser.js';
import { password, payWithCard, startWebPlatform, uniqueEmail } from './support/platform.js';

// The console pages of the reusable instruments (customers and saved cards, QR codes) and the
// public page of a payment link, in Chromium against the whole platform.

describe('customers, QR codes and payment links in the browser', () => {
  let platform: TestPlatform;
  let merchant: TestBrowser;
  let shopper: TestBrowser;
  let secret: string;

  beforeAll(async () => {
    platform = await startWebPlatform();
    merchant = await openBrowser(platform.url);
    shopper = await openBrowser(platform.url);

    // Sign up, a project and a key the console keeps for this session.
    const { page } = merchant;
    await page.goto('/signup');
    await page.getByText('Accept payments').click();
    await page.getByLabel('Business name').fill('Counter Shop');
    await page.getByLabel('Email').fill(uniqueEmail('instruments'));
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/dashboard');
    await page.getByRole('link', { name: 'Developers' }).first().click();
    await page.getByLabel('New project name').fill('Counter project');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByTestId('projects').getByText('Counter project').waitFor();
    await page.getByRole('button', { name: 'Create key' }).first().click();
    await page.getByLabel('Key name').fill('Console');
    await page.getByRole('dialog').getByRole('button', { name: 'Create key' }).click();
    secret = (await page.getByTestId('secret-value').textContent()) ?? '';
    expect(secret).toMatch(/^sk_test_/);
    await page.getByRole('button', { name: 'Done' }).click();
  });

  beforeEach(() => {
    merchant.problems.length = 0;
    shopper.problems.length = 0;
  });

  afterAll(async () => {
    await shopper?.close();
    await merchant?.close();
    await platform?.close();
  });

  it('when a customer paid with setup_future_usage, then the Customers page lists them with the saved card', async () => {
    const customer = await platform.api('POST', '/v1/customers', {
      token: secret,
      body: { name: 'Asha Verma', email: 'asha@example.com' },
    });
    expect(customer.status, customer.text).toBe(201);
    await payWithCard(
      platform,
      secret,
      { amount: 49_900, customer: customer.body.id, setup_future_usage: 'off_session' },
      '4000000000000341',
    );
    const { page } = merchant;

    await page.getByRole('link', { name: 'Customers' }).first().click();
    await page.getByTestId('customers-table').getByText('Asha Verma').waitFor();
    await page.getByRole('button', { name: 'Saved cards' }).click();
    await page.getByTestId('saved-cards').getByText('•••• 0341').waitFor();

    expect(await page.getByTestId('saved-cards').textContent()).toContain('visa');
    await screenshot(page, 'customers-saved-cards');
    // A customer made in the page shows up in the table.
    await page.getByLabel('Customer name').fill('Ravi Kumar');
    await page.getByRole('button', { name: 'Create customer' }).click();
    await page.getByTestId('customers-table').getByText('Ravi Kumar').waitFor();
    merchant.assertClean();
  });

  it('when a QR code is created and paid, then the page shows its image, a PNG download and the payment', async () => {
    const { page } = merchant;

    await page.getByRole('link', { name: 'QR codes' }).first().click();
    await page.getByLabel('QR description').fill('Counter 1');
    await page.getByLabel(/Fixed amount/).fill('25.00');
    await page.getByRole('button', { name: 'Create QR code' }).click();
    await page.getByTestId('qr-image').waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download PNG' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^qr_[0-9a-z]+\.png$/);
    const png = readFileSync(await file.path());
    // What the console draws is what the API's code says: the PNG decodes to its upi_uri.
    const qrs = await platform.api('GET', '/v1/qr_codes', { token: secret });
    expect(decodePng(png)).toBe(qrs.body.data[0].upi_uri);
    await page.getByRole('button', { name: 'Simulate UPI payment' }).click();

    await page.getByTestId('payments-table').getByText('succeeded').waitFor();
    expect(await page.getByTestId('qr-payments-count').textContent()).toBe('1');
    expect(await page.getByTestId('qr-received').textContent()).toBe('₹25.00');
    await screenshot(page, 'qr-codes');
    merchant.assertClean();
  });

  it('when a shopper opens a payment link, then the hosted checkout shows it and a card pays it', async () => {
    const link = await platform.api('POST', '/v1/payment_links', {
      token: secret,
      body: { amount: 19_900, currency: 'inr', description: 'Workshop ticket' },
    });
    expect(link.status, link.text).toBe(201);
    const { page } = shopper;

    await page.goto(new URL(link.body.url).pathname);
    await page.getByTestId('checkout-amount').waitFor();

    expect(await page.getByTestId('checkout-amount').textContent()).toBe('₹199.00');
    expect(page.url()).toMatch(/\/pay\/pay_[0-9a-z]+#pay_/);
    await screenshot(page, 'payment-link-checkout');
    await page.getByRole('button', { name: /4242424242424242/ }).click();
    await page.getByRole('button', { name: 'Pay ₹199.00' }).click();
    await page
      .getByText(/Payment (successful|received)|succeeded/i)
      .first()
      .waitFor();
    const read = await platform.api('GET', `/v1/payment_links/${link.body.id}`, { token: secret });
    expect(read.body).toMatchObject({ payments_count: 1, active: false });

    await page.goto(new URL(link.body.url).pathname);
    await page.getByText('This payment link is no longer active').waitFor();
    await screenshot(page, 'payment-link-inactive');
  });
});
