import { describe, expect, it } from 'vitest';
import { onboardMerchant } from '../../test/support/test-platform.js';
import { browserPerFile, screenshot } from './support/browser.js';
import { webPlatformPerFile } from './support/platform.js';

describe('hosted checkout of a Checkout Session', () => {
  const platform = webPlatformPerFile();
  const browser = browserPerFile(platform);

  it('when a shopper opens a session, then the page lists its line items, and paying sends them to the success_url with the session id', async () => {
    const merchant = await onboardMerchant(platform, 'checkout-session');
    // A page of the platform itself stands in for the shop's thank-you page.
    const created = await platform.api('POST', '/v1/checkout/sessions', {
      token: merchant.key.secret,
      body: {
        line_items: [
          {
            price_data: { currency: 'inr', unit_amount: 25000, product_data: { name: 'Kurta' } },
            quantity: 2,
          },
          {
            price_data: { currency: 'inr', unit_amount: 9900, product_data: { name: 'Scarf' } },
            quantity: 1,
          },
        ],
        success_url: `${platform.url}/healthz?session={CHECKOUT_SESSION_ID}`,
      },
    });
    expect(created.status, created.text).toBe(201);
    const session = created.body as { id: string; url: string };
    const { page } = browser;
    const url = new URL(session.url);

    await page.goto(`${url.pathname}${url.search}${url.hash}`);
    await page.getByTestId('line-items').waitFor();
    const lines = await page.getByTestId('line-items').getByRole('listitem').allTextContents();
    await screenshot(page, 'checkout-session');
    await page.getByRole('button', { name: /4242424242424242/ }).click();
    await page.getByRole('button', { name: 'Pay ₹599.00' }).click();
    await page.waitForURL(`${platform.url}/healthz?session=${session.id}`);

    expect(lines).toEqual(['Kurta × 2₹500.00', 'Scarf₹99.00']);
    const read = await platform.api('GET', `/v1/checkout/sessions/${session.id}`, {
      token: merchant.key.secret,
    });
    expect(read.body).toMatchObject({ status: 'complete', payment_status: 'paid' });
  });
});
