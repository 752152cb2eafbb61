import { describe, expect, it } from 'vitest';
import { browserPerFile, screenshot } from './support/browser.js';
import { password, payWithCard, uniqueEmail, webPlatformPerFile } from './support/platform.js';

// The merchant's money in the console: the Balance page (available/pending, balance
// transactions, payouts with the payout form) and the Disputes page with evidence (issue 13).
describe('balance and disputes in the browser', () => {
  const platform = webPlatformPerFile();
  const browser = browserPerFile(platform);
  let secret = '';

  const api = (method: string, path: string, body?: unknown) =>
    platform.api(method, path, { token: secret, ...(body === undefined ? {} : { body }) });

  const pay = (amount: number, number: string, description: string) =>
    payWithCard(platform, secret, { amount, description }, number);

  it('when a merchant has paid, pending and disputed money, then the Balance page shows it, pays out from available and the Disputes page takes evidence', async () => {
    const { page } = browser;
    await page.goto('/signup');
    await page.getByText('Accept payments').click();
    await page.getByLabel('Business name').fill('Money Shop');
    await page.getByLabel('Email').fill(uniqueEmail('money'));
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/dashboard');
    await page.getByRole('link', { name: 'Developers' }).first().click();
    await page.getByLabel('New project name').fill('Money project');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByTestId('projects').getByText('Money project').waitFor();
    await page.getByRole('button', { name: 'Create key' }).first().click();
    await page.getByLabel('Key name').fill('Console');
    await page.getByRole('dialog').getByRole('button', { name: 'Create key' }).click();
    secret = (await page.getByTestId('secret-value').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^sk_test_/);
    await page.getByRole('button', { name: 'Done' }).click();

    // ₹1,000 paid two days ago (available: 1000 − 23 fee), ₹500 paid now (pending: 500 − 13),
    // and two payments with the dispute card.
    await pay(100_000, '4242424242424242', 'Sofa');
    const advanced = await api('POST', '/v1/test_helpers/clock/advance', { seconds: 172_800 });
    expect(advanced.status, advanced.text).toBe(200);
    await pay(50_000, '4242424242424242', 'Lamp');
    const won = await pay(20_000, '4000000000000259', 'Rug');
    const lost = await pay(30_000, '4000000000000259', 'Vase');

    // Balance: available and pending, the balance transactions, a payout from the form.
    await page.getByRole('link', { name: 'Balance' }).first().click();
    await page.getByTestId('balance-available-inr').getByText('₹977.00').waitFor();
    expect(await page.getByTestId('balance-pending-inr').textContent()).toBe('₹487.00');
    await page.getByTestId('balance-transactions').getByText('Dispute').first().waitFor();
    await page.getByLabel('Payout amount (INR)').fill('2000');
    await page.getByRole('button', { name: 'Pay out' }).click();
    await page.getByText('At most ₹977.00 is available').waitFor();
    await page.getByLabel('Payout amount (INR)').fill('500');
    await page.getByRole('button', { name: 'Pay out' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Pay out ₹500.00' }).click();
    await page.getByTestId('payouts-table').getByText('₹500.00').waitFor();
    await page.getByTestId('balance-available-inr').getByText('₹477.00').waitFor();
    await screenshot(page, 'console-balance');

    // Disputes: win one with evidence, accept the other.
    await page.getByRole('link', { name: 'Disputes' }).first().click();
    const wonRow = page.locator(`[data-dispute-id]`, { hasText: won });
    const lostRow = page.locator(`[data-dispute-id]`, { hasText: lost });
    await wonRow.getByText('needs response').waitFor();
    await screenshot(page, 'console-disputes-open');
    await wonRow.getByLabel('Evidence', { exact: true }).fill('winning_evidence');
    await wonRow.getByRole('button', { name: 'Submit evidence' }).click();
    await wonRow.getByText('won').waitFor();
    await lostRow.getByRole('button', { name: 'Accept dispute' }).click();
    const accepting = page.getByRole('dialog', {
      name: `Accept dispute ${await lostRow.getAttribute('data-dispute-id')} and lose ₹300.00?`,
    });
    await accepting.getByRole('button', { name: 'Accept dispute' }).click();
    await lostRow.getByText('lost').waitFor();
    await screenshot(page, 'console-disputes-closed');

    // The API agrees with the page.
    const disputes = await api('GET', '/v1/disputes');
    const statusOf = (payment: string) =>
      disputes.body.data.find((dispute: any) => dispute.payment === payment)?.status;
    expect(statusOf(won)).toBe('won');
    expect(statusOf(lost)).toBe('lost');
    const balance = await api('GET', '/v1/balance');
    expect(balance.body).toMatchObject({
      available: [{ amount: 47_700, currency: 'inr' }],
      pending: [{ amount: 48_700 + (20_000 - 700), currency: 'inr' }],
    });
    browser.assertClean();
  });
});
