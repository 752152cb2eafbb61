import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPlatform } from '../../test/support/test-platform.js';
import { openBrowser, screenshot, type TestBrowser } from './support/browser.js';
import { password, startWebPlatform, uniqueEmail } from './support/platform.js';

async function signUpPerson(browser: TestBrowser, name: string): Promise<string> {
  const { page } = browser;
  await page.goto('/signup');
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email').fill(uniqueEmail(name.toLowerCase()));
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/wallet');
  await page.getByTestId('wallet-vpa').waitFor();
  return (await page.getByTestId('wallet-vpa').textContent()) ?? '';
}

describe('wallet flow: top-up and a transfer between two people', () => {
  let platform: TestPlatform;
  let sender: TestBrowser;
  let receiver: TestBrowser;

  beforeAll(async () => {
    platform = await startWebPlatform();
    sender = await openBrowser(platform.url);
    receiver = await openBrowser(platform.url);
  });

  afterAll(async () => {
    await receiver?.close();
    await sender?.close();
    await platform?.close();
  });

  it('when one person tops up and sends money, then both histories show it and the receiver balance updates live', async () => {
    await signUpPerson(sender, 'Asha');
    const receiverVpa = await signUpPerson(receiver, 'Ravi');
    expect(receiverVpa).toMatch(/@expe$/);
    await receiver.page.getByTestId('wallet-balance').getByText('₹0.00').waitFor();

    await sender.page.getByLabel('Top-up amount (₹)').fill('1000');
    await sender.page.getByRole('button', { name: 'Add money' }).click();
    await sender.page.getByTestId('wallet-balance').getByText('₹1,000.00').waitFor();
    await sender.page.getByLabel('To (VPA or email)').fill(receiverVpa);
    await sender.page.getByLabel('Amount (₹)', { exact: true }).fill('250');
    await sender.page.getByLabel('Note (optional)').fill('Dinner');
    await sender.page.getByRole('button', { name: 'Send money' }).click();

    await sender.page.getByTestId('wallet-balance').getByText('₹750.00').waitFor();
    await sender.page.getByTestId('wallet-history').getByText(receiverVpa).waitFor();
    await receiver.page
      .getByTestId('wallet-balance')
      .getByText('₹250.00')
      .waitFor({ timeout: 15_000 });
    await receiver.page.getByTestId('wallet-history').getByText('+₹250.00').waitFor();
    await screenshot(sender.page, 'wallet');
    await screenshot(receiver.page, 'wallet-receiver');

    sender.assertClean();
    receiver.assertClean();
  });
});
