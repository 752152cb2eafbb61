import { describe, expect, it } from 'vitest';
import { merchantPerFile } from '../../test/support/test-platform.js';
import { axeFindings, isSerious } from './support/accessibility.js';
import { browserPerFile, screenshot } from './support/browser.js';
import { webPlatformPerFile } from './support/platform.js';

describe('hosted receipt', () => {
  const platform = webPlatformPerFile();
  const merchant = merchantPerFile(platform, 'receipt');
  const browser = browserPerFile(platform);

  it("when a shopper pays and opens the charge's receipt_url, then the receipt shows the amount, merchant and card, and a tampered link shows the error", async () => {
    const created = await platform.api('POST', '/v1/payments', {
      token: merchant.key.secret,
      body: { amount: 125000, currency: 'inr', description: 'Headphones' },
    });
    expect(created.status).toBe(201);
    const payment = created.body as { id: string; client_secret: string };
    const { page } = browser;
    await page.goto(`/pay/${payment.id}#${payment.client_secret}`);
    await page.getByRole('button', { name: /4242424242424242/ }).click();
    await page.getByRole('button', { name: 'Pay ₹1,250.00' }).click();
    await page.getByTestId('checkout-success').waitFor();

    const paid = await platform.api('GET', `/v1/payments/${payment.id}`, {
      token: merchant.key.secret,
    });
    const charge = await platform.api('GET', `/v1/charges/${paid.body.latest_charge}`, {
      token: merchant.key.secret,
    });
    const receiptUrl = new URL(charge.body.receipt_url as string);
    expect(receiptUrl.pathname).toBe(`/receipts/${charge.body.id}`);
    expect(receiptUrl.hash.length).toBeGreaterThan(20);

    await page.goto(`${receiptUrl.pathname}${receiptUrl.hash}`);
    const receipt = page.getByTestId('receipt');
    await receipt.waitFor();
    expect(await page.getByTestId('receipt-amount').textContent()).toBe('₹1,250.00');
    expect(await page.getByTestId('receipt-merchant').textContent()).toBe(paid.body.merchant.name);
    expect(await page.getByTestId('receipt-method').textContent()).toContain('4242');
    expect(await receipt.textContent()).toContain('Headphones');
    expect((await axeFindings(page)).filter(isSerious)).toEqual([]);
    await screenshot(page, 'receipt');
    browser.assertClean();

    const tampered = `${receiptUrl.hash.slice(0, -1)}${receiptUrl.hash.endsWith('A') ? 'B' : 'A'}`;
    await page.goto('about:blank');
    await page.goto(`${receiptUrl.pathname}${tampered}`);
    await page.getByTestId('receipt-error').waitFor();
    expect(await page.getByTestId('receipt').count()).toBe(0);
    expect(await page.textContent('body')).not.toContain('₹1,250.00');
    expect((await axeFindings(page)).filter(isSerious)).toEqual([]);
    browser.assertClean();
  });
});
