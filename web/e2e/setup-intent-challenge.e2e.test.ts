import { describe, expect, it } from 'vitest';
import { merchantPerFile } from '../../test/support/test-platform.js';
import { browserPerFile, screenshot } from './support/browser.js';
import { webPlatformPerFile } from './support/platform.js';

/**
 * A SetupIntent confirmed with the 3-D Secure card sends the cardholder to the same hosted
 * challenge page as a payment (`next_action.redirect_to_url`); the answer given there decides
 * whether the card is saved on the customer.
 */
describe('hosted 3-D Secure challenge for a SetupIntent', () => {
  const platform = webPlatformPerFile();
  const merchant = merchantPerFile(platform, 'setup-challenge');
  const browser = browserPerFile(platform, { problemsPerTest: true });

  const call = async (method: 'GET' | 'POST', path: string, body?: Record<string, unknown>) => {
    const response = await platform.api(method, path, { token: merchant.key.secret, body });
    expect(response.status, response.text).toBeLessThan(300);
    return response.body;
  };

  /** The link's path and fragment on the platform under test (its checkout base URL is fixed). */
  const onPlatform = (link: string) => {
    const url = new URL(link);
    expect(url.pathname).toMatch(/^\/pay\/seti_[0-9a-z]+\/authenticate$/);
    return `${url.pathname}${url.hash}`;
  };

  /** A customer and a SetupIntent of the 3-D Secure card, confirmed: it requires_action. */
  async function challengedSetup() {
    const customer = await call('POST', '/v1/customers', { name: 'Asha Verma' });
    const method = await call('POST', '/v1/payment_methods', {
      type: 'card',
      card: { token: 'pm_card_authenticationRequired' },
    });
    const setup = await call('POST', '/v1/setup_intents', {
      customer: customer.id,
      payment_method: method.id,
      confirm: true,
    });
    expect(setup.status).toBe('requires_action');
    return {
      customer: customer.id as string,
      method: method.id as string,
      setup: setup as { id: string; next_action: { redirect_to_url: { url: string } } },
    };
  }

  it('when the cardholder completes the challenge, then the SetupIntent succeeds and the card is saved on the customer', async () => {
    const { customer, method, setup } = await challengedSetup();
    const { page } = browser;

    await page.goto(onPlatform(setup.next_action.redirect_to_url.url));
    await page.getByTestId('challenge').waitFor();
    await screenshot(page, 'setup-3ds-challenge');
    await page.getByRole('button', { name: 'Complete authentication' }).click();

    await page.getByTestId('setup-succeeded').waitFor();
    const read = await call('GET', `/v1/setup_intents/${setup.id}`);
    expect(read).toMatchObject({ status: 'succeeded', next_action: null, payment_method: method });
    expect((await call('GET', `/v1/payment_methods/${method}`)).customer).toBe(customer);

    // The link is spent: opening it again cannot answer a second time.
    await page.reload();
    await page.getByRole('button', { name: 'Fail authentication' }).click();
    await page.getByTestId('challenge-done').waitFor();
    expect((await call('GET', `/v1/setup_intents/${setup.id}`)).status).toBe('succeeded');
    browser.assertClean();
  });

  it('when the cardholder fails the challenge, then the SetupIntent requires a payment method again with last_setup_error and the card is not saved', async () => {
    const { method, setup } = await challengedSetup();
    const { page } = browser;

    await page.goto(onPlatform(setup.next_action.redirect_to_url.url));
    await page.getByRole('button', { name: 'Fail authentication' }).click();

    await page.getByTestId('setup-failed').waitFor();
    const read = await call('GET', `/v1/setup_intents/${setup.id}`);
    expect(read).toMatchObject({
      status: 'requires_payment_method',
      payment_method: null,
      last_setup_error: { code: 'setup_intent_authentication_failure' },
    });
    expect(await page.getByTestId('failure-reason').textContent()).toBe(
      read.last_setup_error.message,
    );
    expect((await call('GET', `/v1/payment_methods/${method}`)).customer).toBeNull();
    browser.assertClean();
  });
});
