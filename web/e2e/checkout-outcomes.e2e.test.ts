import { describe, expect, it } from 'vitest';
import { merchantPerFile } from '../../test/support/test-platform.js';
import { browserPerFile, screenshot } from './support/browser.js';
import { createPayment as createPaymentOf, webPlatformPerFile } from './support/platform.js';

describe('hosted checkout outcomes', () => {
  const platform = webPlatformPerFile();
  const merchant = merchantPerFile(platform, 'checkout');
  const browser = browserPerFile(platform, { problemsPerTest: true });
  const createPayment = (body: Record<string, unknown> = {}) =>
    createPaymentOf(platform, merchant, body);

  it('when the card is declined, then the failure screen shows the reason and the payment can be retried', async () => {
    const payment = await createPayment();
    const { page } = browser;

    await page.goto(`/pay/${payment.id}#${payment.client_secret}`);
    await page.getByRole('button', { name: /4000000000000002/ }).click();
    await page.getByRole('button', { name: 'Pay ₹1,250.00' }).click();

    await page.getByTestId('checkout-failure').waitFor();
    expect(await page.getByTestId('checkout-failure').textContent()).toContain('card_declined');
    expect((await page.getByTestId('failure-reason').textContent())?.length).toBeGreaterThan(3);
    await screenshot(page, 'checkout-failed');
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('tab', { name: 'Card' }).waitFor();
    const reloaded = await platform.api('GET', `/v1/payments/${payment.id}`, {
      token: merchant.key.secret,
    });
    expect(reloaded.body.status).toBe('requires_payment_method');
    browser.assertClean();
  });

  it('when UPI pending@expe is used, then the page waits and flips to succeeded by itself', async () => {
    const payment = await createPayment({ return_url: 'https://shop.example/thanks' });
    const { page } = browser;

    await page.goto(`/pay/${payment.id}#${payment.client_secret}`);
    await page.getByRole('tab', { name: 'UPI' }).click();
    await screenshot(page, 'checkout-upi');
    await page.getByLabel('UPI address (VPA)').fill('pending@expe');
    await page.getByRole('button', { name: 'Pay ₹1,250.00' }).click();

    await page.getByTestId('checkout-waiting').waitFor();
    await screenshot(page, 'checkout-waiting');
    await page.getByTestId('checkout-success').waitFor({ timeout: 60_000 });
    expect(await page.getByRole('link', { name: /Return to/ }).getAttribute('href')).toBe(
      'https://shop.example/thanks',
    );
    browser.assertClean();
  });

  it('when a wallet user signs in on the checkout page, then the payment is paid from the wallet', async () => {
    const email = `payer.${Date.now().toString(36)}@example.com`;
    const registered = await platform.api('POST', '/v1/auth/register', {
      body: { email, password: 'correct horse battery', name: 'Payer', role: 'user' },
    });
    const topup = await platform.api('POST', '/v1/wallet/topup', {
      token: registered.body.access_token,
      body: { amount: 500000 },
    });
    expect(topup.status).toBe(201);
    const payment = await createPayment();
    const { page } = browser;

    await page.goto(`/pay/${payment.id}#${payment.client_secret}`);
    await page.getByRole('tab', { name: 'Expe wallet' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in to pay' }).click();
    await page.getByText('Balance: ₹5,000.00').waitFor();
    await page.getByRole('button', { name: 'Pay ₹1,250.00 from wallet' }).click();

    await page.getByTestId('checkout-success').waitFor();
    const wallet = await platform.api('GET', '/v1/wallet', { token: registered.body.access_token });
    expect(wallet.body.balance).toBe(500000 - 125000);
    browser.assertClean();
  });

  it('when the link has no client secret, then the page says the link is incomplete', async () => {
    const payment = await createPayment();
    const { page } = browser;

    await page.goto(`/pay/${payment.id}`);

    await page.getByText(/payment link is incomplete/).waitFor();
    browser.assertClean();
  });
});
