import { describe, expect, it } from 'vitest';
import { merchantPerFile } from '../../test/support/test-platform.js';
import { browserPerFile, screenshot } from './support/browser.js';
import {
  createPayment as createPaymentOf,
  password,
  uniqueEmail,
  webPlatformPerFile,
} from './support/platform.js';

// 3-D Secure on the hosted checkout, and in the console: capture or release an authorization,
// and move the test clock (issue 13).
describe('payment flows in the browser', () => {
  const platform = webPlatformPerFile();
  const merchant = merchantPerFile(platform, 'flows-web');
  const browser = browserPerFile(platform, { problemsPerTest: true });
  const createPayment = (body: Record<string, unknown> = {}) =>
    createPaymentOf(platform, merchant, body);

  const statusOf = async (id: string) =>
    (await platform.api('GET', `/v1/payments/${id}`, { token: merchant.key.secret })).body;

  it('when the 3-D Secure card is used and the challenge is completed, then the checkout shows the payment succeeded', async () => {
    const payment = await createPayment({ return_url: 'https://shop.example/thanks' });
    const { page } = browser;

    await page.goto(`/pay/${payment.id}#${payment.client_secret}`);
    await page.getByRole('button', { name: /4000002500003155/ }).click();
    await page.getByRole('button', { name: 'Pay ₹1,250.00' }).click();
    await page.getByTestId('authenticate-link').click();
    await page.waitForURL(`**/pay/${payment.id}/authenticate#*`);
    await page.getByTestId('challenge').waitFor();
    expect(await page.getByTestId('challenge-amount').textContent()).toBe('₹1,250.00');
    await screenshot(page, 'checkout-3ds-challenge');
    await page.getByRole('button', { name: 'Complete authentication' }).click();

    await page.getByTestId('checkout-success').waitFor();
    expect(page.url()).toContain(`/pay/${payment.id}#`);
    expect(await page.getByRole('link', { name: /Return to/ }).getAttribute('href')).toBe(
      'https://shop.example/thanks',
    );
    expect((await statusOf(payment.id)).status).toBe('succeeded');
    browser.assertClean();
  });

  it('when the challenge is failed, then the checkout asks for a payment method again and says why', async () => {
    const payment = await createPayment();
    const { page } = browser;

    await page.goto(`/pay/${payment.id}#${payment.client_secret}`);
    await page.getByRole('button', { name: /4000002500003155/ }).click();
    await page.getByRole('button', { name: 'Pay ₹1,250.00' }).click();
    await page.getByTestId('authenticate-link').click();
    await page.getByRole('button', { name: 'Fail authentication' }).click();

    await page.getByRole('tab', { name: 'Card' }).waitFor();
    expect(await page.getByRole('alert').first().textContent()).toContain('3-D Secure');
    const failed = await statusOf(payment.id);
    expect(failed.status).toBe('requires_payment_method');
    expect(failed.last_payment_error.code).toBe('authentication_failed');
    browser.assertClean();
  });

  it('when a merchant captures part of an authorization in the console and moves the test clock, then the page and the API agree', async () => {
    const { page } = browser;
    await page.goto('/signup');
    await page.getByText('Accept payments').click();
    await page.getByLabel('Business name').fill('Capture Shop');
    await page.getByLabel('Email').fill(uniqueEmail('capture'));
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/dashboard');
    await page.getByRole('link', { name: 'Developers' }).first().click();
    await page.getByLabel('New project name').fill('Capture project');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByTestId('projects').getByText('Capture project').waitFor();
    await page.getByRole('button', { name: 'Create key' }).first().click();
    await page.getByLabel('Key name').fill('Console');
    await page.getByRole('dialog').getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('secret-value').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^sk_test_/);
    await page.getByRole('button', { name: 'Done' }).click();

    // An authorization paid by card on the hosted checkout.
    const created = await platform.api('POST', '/v1/payments', {
      token: secret,
      body: {
        amount: 80000,
        currency: 'inr',
        description: 'Hotel night',
        capture_method: 'manual',
      },
    });
    const held = created.body as { id: string; client_secret: string };
    const other = (
      await platform.api('POST', '/v1/payments', {
        token: secret,
        body: { amount: 20000, currency: 'inr', capture_method: 'manual' },
      })
    ).body as { id: string; client_secret: string };
    // The shopper pays in another tab: the console keeps its key in this tab's memory only.
    const shopper = await browser.context.newPage();
    for (const payment of [held, other]) {
      await shopper.goto(`/pay/${payment.id}#${payment.client_secret}`);
      await shopper.getByRole('button', { name: /4242424242424242/ }).click();
      await shopper.getByRole('button', { name: /^Pay / }).click();
      await shopper.getByTestId('checkout-success').getByText('Payment authorized').waitFor();
    }
    await screenshot(shopper, 'checkout-authorized');
    await shopper.close();

    // Capture ₹600 of ₹800 from the payment's page.
    await page.getByRole('link', { name: 'Payments' }).first().click();
    await page.getByTestId('payments-table').getByRole('link', { name: '₹800.00' }).click();
    await page.getByTestId('payment-status').getByText('requires_capture').waitFor();
    await page.getByLabel('Amount to capture (INR)').fill('900');
    await page.getByRole('button', { name: 'Capture', exact: true }).click();
    await page.getByText(/At most ₹800.00 can be captured/).waitFor();
    await page.getByLabel('Amount to capture (INR)').fill('600');
    await page.getByRole('button', { name: 'Capture', exact: true }).click();
    await page.getByTestId('payment-status').getByText('succeeded').waitFor();
    await screenshot(page, 'payment-details-captured');
    const captured = await platform.api('GET', `/v1/payments/${held.id}`, { token: secret });
    expect(captured.body).toMatchObject({ status: 'succeeded', amount_received: 60000 });

    // The other authorization is released by the test clock after 7 days.
    await page.getByRole('link', { name: 'Payments' }).first().click();
    await page.getByTestId('payments-table').getByRole('link', { name: '₹200.00' }).click();
    await page.getByTestId('capture-form').waitFor();
    await screenshot(page, 'payment-details-authorized');
    await page.getByRole('link', { name: 'Developers' }).first().click();
    await page.getByTestId('test-clock-offset').getByText('real time').waitFor();
    await page.getByRole('button', { name: '+7 days' }).click();
    await page.getByTestId('test-clock-offset').getByText('7 d ahead of real time').waitFor();
    await screenshot(page, 'developers-test-clock');
    const released = await platform.api('GET', `/v1/payments/${other.id}`, { token: secret });
    expect(released.body.status).toBe('canceled');
    browser.assertClean();
  });
});
