import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPlatform } from '../../test/support/test-platform.js';
import { openBrowser, screenshot, type TestBrowser } from './support/browser.js';
import {
  password,
  startWebPlatform,
  startWebhookReceiver,
  uniqueEmail,
} from './support/platform.js';

/** The path and fragment of a checkout URL, opened on the platform under test. */
function checkoutPath(checkoutUrl: string): string {
  const url = new URL(checkoutUrl, 'http://placeholder');
  return url.pathname + url.hash;
}

describe('merchant flow: sign-up to refund, with a customer paying in another browser', () => {
  let platform: TestPlatform;
  let merchant: TestBrowser;
  let customer: TestBrowser;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    platform = await startWebPlatform();
    receiver = await startWebhookReceiver();
    merchant = await openBrowser(platform.url);
    customer = await openBrowser(platform.url);
  });

  afterAll(async () => {
    await customer?.close();
    await merchant?.close();
    await receiver?.close();
    await platform?.close();
  });

  it('when a customer pays by card, then the dashboard shows it live, a partial refund works and the webhook log shows the deliveries', async () => {
    const { page } = merchant;

    // Sign up and a project. No API key: the console acts with the person's session
    // (Expe-Project, Expe-Mode) and must never create or roll one by itself.
    await page.goto('/signup');
    await page.getByText('Accept payments').click();
    await page.getByLabel('Business name').fill('Flow Shop');
    await page.getByLabel('Email').fill(uniqueEmail('flow'));
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/dashboard');
    await page.getByRole('link', { name: 'Developers' }).first().click();
    await page.getByLabel('New project name').fill('Flow project');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByTestId('projects').getByText('Flow project').waitFor();
    await page.getByText('No keys yet').waitFor();
    const keyRequests: string[] = [];
    page.on('request', (request) => {
      if (/\/api_keys/.test(request.url()) && request.method() !== 'GET') {
        keyRequests.push(`${request.method()} ${request.url()}`);
      }
      if (/Bearer sk_/.test(request.headers().authorization ?? '')) {
        keyRequests.push(`secret key sent: ${request.url()}`);
      }
    });

    // Webhook endpoint on a loopback receiver.
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByLabel('Endpoint URL').fill(receiver.url);
    await page.getByRole('dialog').getByRole('button', { name: 'Add endpoint' }).click();
    expect(await page.getByTestId('secret-value').textContent()).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByTestId('endpoints').getByText(receiver.url).waitFor();
    await screenshot(page, 'console-webhooks');

    // The simulator creates a payment.
    await page.getByRole('link', { name: 'Simulator' }).click();
    await page.getByLabel('Amount').fill('499.00');
    await page.getByLabel('Description').fill('Blue kurta');
    await page.getByRole('button', { name: 'Create payment' }).click();
    const checkoutUrl = (await page.getByTestId('checkout-link').getAttribute('href')) ?? '';
    expect(checkoutUrl).toMatch(/\/pay\/pay_[0-9a-z]+#.+/);
    await screenshot(page, 'console-simulator');

    // The merchant watches the dashboard; the customer pays in another browser.
    await page.getByRole('link', { name: 'Dashboard' }).first().click();
    await page.getByTestId('payments-table').getByText('requires payment method').waitFor();
    await customer.page.goto(checkoutPath(checkoutUrl));
    await customer.page.getByTestId('checkout-amount').waitFor();
    expect(await customer.page.getByTestId('checkout-amount').textContent()).toBe('₹499.00');
    await screenshot(customer.page, 'checkout');
    await customer.page.getByRole('button', { name: /4242424242424242/ }).click();
    await customer.page.getByRole('button', { name: 'Pay ₹499.00' }).click();
    await customer.page.getByTestId('checkout-success').waitFor();
    await screenshot(customer.page, 'checkout-success');

    // Without a reload, the dashboard shows the payment succeeded.
    await page.getByTestId('payments-table').getByText('succeeded').waitFor({ timeout: 15_000 });
    await page.getByTestId('stat-succeeded').getByText('1').waitFor({ timeout: 15_000 });
    await screenshot(page, 'dashboard');

    // A partial refund from the details page.
    await page.getByTestId('payments-table').getByRole('link', { name: '₹499.00' }).click();
    await page.getByTestId('payment-status').getByText('succeeded').waitFor();
    await page.getByLabel('Amount (INR)').fill('100');
    await page.getByRole('button', { name: 'Refund' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Refund ₹100.00' }).click();
    await page.getByTestId('refunds').getByText('₹100.00').waitFor();
    await page
      .getByTestId('timeline')
      .getByText(/Refund succeeded/i)
      .waitFor({ timeout: 15_000 });
    await screenshot(page, 'payment-details');

    // The payments list, then the webhook log with the deliveries.
    await page.getByRole('link', { name: 'Payments' }).first().click();
    await page.getByTestId('payments-table').getByText('₹100.00 refunded').waitFor();
    await screenshot(page, 'payments');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csvPath = await download.path();
    const csv = csvPath ? readFileSync(csvPath, 'utf8') : '';
    expect(csv.split('\r\n')[0]).toBe(
      'id,amount,amount_refunded,currency,status,method,description,customer_email,created',
    );
    expect(csv).toContain(',49900,10000,inr,succeeded,card,Blue kurta,');
    await page.getByRole('link', { name: 'Developers' }).first().click();
    await page.getByRole('link', { name: 'Events' }).click();
    await page
      .getByTestId('events')
      .getByText('refund.succeeded', { exact: true })
      .first()
      .waitFor();
    await screenshot(page, 'console-events');
    await page.getByRole('link', { name: 'Webhook logs' }).first().click();
    const log = page.getByTestId('delivery-log');
    await log.getByText('payment.succeeded').first().waitFor({ timeout: 30_000 });
    await log.getByText('refund.succeeded').first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'webhook-logs');
    const types = receiver.received.map((delivery) => delivery.body.type);
    expect(types).toEqual(
      expect.arrayContaining(['payment.created', 'payment.succeeded', 'refund.succeeded']),
    );
    expect(receiver.received[0]?.headers['expe-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}/);

    // The whole console ran on the session: still no key, none created or rolled, no sk_ sent.
    await page.getByRole('link', { name: 'Developers' }).first().click();
    await page.getByTestId('projects').getByText('Flow project').waitFor();
    await page.getByText('No keys yet').waitFor();
    expect(keyRequests).toEqual([]);

    merchant.assertClean();
    customer.assertClean();
  });
});
