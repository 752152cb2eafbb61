import { describe, expect, it } from 'vitest';
import { browserPerFile, screenshot } from './support/browser.js';
import { password, uniqueEmail, webPlatformPerFile } from './support/platform.js';

describe('accounts, console and public pages in a real browser', () => {
  const platform = webPlatformPerFile();
  const browser = browserPerFile(platform, { problemsPerTest: true });

  it('when an anonymous visitor opens the landing page, then it renders without errors and links to sign-up', async () => {
    const { page } = browser;

    await page.goto('/');

    await page.getByRole('heading', { level: 1, name: /Accept payments/ }).waitFor();
    await screenshot(page, 'landing');
    await page.goto('/signup');
    await page.getByRole('heading', { name: 'Create your Expe account' }).waitFor();
    await screenshot(page, 'sign-up');
    await page.goto('/signin');
    await screenshot(page, 'sign-in');
    await page.goto('/no/such/page');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    browser.assertClean();
  });

  it('when a page logs a console error or a request fails, then the browser guard fails the test', async () => {
    const { page } = browser;
    await page.goto('/');

    await page.evaluate("console.error('boom')");
    await page.route('**/v1/unreachable', (route) => route.abort('connectionrefused'));
    await page.evaluate("fetch('/v1/unreachable').catch(() => {})");
    await page.waitForTimeout(300);

    expect(() => browser.assertClean()).toThrow(/console error .*boom/);
    expect(browser.problems.some((problem) => problem.startsWith('request failed'))).toBe(true);
    await page.unroute('**/v1/unreachable');
  });

  it('when a new person opens the verification mail from the dev mailbox, then the email is verified', async () => {
    const { page } = browser;
    const email = uniqueEmail('verify');
    const registered = await platform.api('POST', '/v1/auth/register', {
      body: { email, password, name: 'Verify Person', role: 'user' },
    });
    expect(registered.status).toBe(201);

    await page.goto(`/dev/mailbox?email=${encodeURIComponent(email)}`);
    await page.getByRole('link', { name: 'Verify email' }).first().click();

    await page.getByText(`${email} is verified.`).waitFor();
    await screenshot(page, 'verify-email');
    const me = await platform.api('POST', '/v1/auth/login', { body: { email, password } });
    expect(me.body.user.email_verified).toBe(true);
    browser.assertClean();
  });

  it('when the API reference opens, then it lists endpoints from /openapi.json and links to /docs', async () => {
    const { page } = browser;

    await page.goto('/developers/api');

    await page.getByText('/v1/auth/register').first().waitFor();
    expect(await page.getByRole('link', { name: /Interactive docs/ }).getAttribute('href')).toBe(
      '/docs',
    );
    await screenshot(page, 'api-reference');
    browser.assertClean();
  });

  it('when a merchant signs up, creates, renames a project and a key, then the secret is shown once and the list is masked', async () => {
    const { page } = browser;
    const email = uniqueEmail('console');

    await page.goto('/signup');
    await page.getByText('Accept payments').click();
    await page.getByLabel('Business name').fill('Console Shop');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/dashboard');

    await page.getByRole('link', { name: 'Developers' }).first().click();
    await page.getByLabel('New project name').fill('Web shop');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByTestId('projects').getByText('Web shop').waitFor();
    await page.getByRole('button', { name: 'Rename Web shop' }).click();
    await page.getByLabel('Project name', { exact: true }).fill('Main shop');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('projects').getByText('Main shop').waitFor();

    await page.getByRole('button', { name: 'Create key' }).first().click();
    await page.getByLabel('Key name').fill('Backend');
    await page.getByRole('dialog').getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('secret-value').textContent()) ?? '';
    expect(secret).toMatch(/^sk_test_/);
    await screenshot(page, 'api-key-created');
    await page.getByRole('button', { name: 'Done' }).click();

    const keys = page.getByTestId('api-keys');
    await keys.getByText('Backend').waitFor();
    expect(await keys.textContent()).not.toContain(secret);
    await screenshot(page, 'developers');
    const account = await platform.api('GET', '/v1/account', { token: secret });
    expect(account.status).toBe(200);

    await keys.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
    await keys.getByText('revoked').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signin');
    browser.assertClean();
  });

  it('when a person forgets the password, then the dev mailbox link resets it and the new one signs in', async () => {
    const { page } = browser;
    const email = uniqueEmail('reset');
    const registered = await platform.api('POST', '/v1/auth/register', {
      body: { email, password, name: 'Reset Person', role: 'user' },
    });
    expect(registered.status).toBe(201);
    await page.goto('/forgot-password');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByText('a reset link is on its way').waitFor();
    await screenshot(page, 'forgot-password');
    await page.getByRole('link', { name: 'dev mailbox', exact: true }).click();
    await page.getByRole('link', { name: 'Reset password' }).first().click();
    await page.getByLabel('New password', { exact: true }).fill('a brand new password');
    await page.getByLabel('Repeat new password').fill('a brand new password');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.waitForURL('**/signin');

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('a brand new password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/wallet');
    browser.assertClean();
  });

  it('when a signed-in person changes the password in settings, then only the new one works', async () => {
    const { page } = browser;
    const email = uniqueEmail('settings');
    await page.goto('/signup');
    await page.getByLabel('Your name').fill('Settings Person');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/wallet');

    await page.goto('/settings');
    await page.getByText(email).waitFor();
    await page.getByLabel('Current password').fill(password);
    await page.getByLabel('New password', { exact: true }).fill('changed password 42');
    await page.getByLabel('Repeat new password').fill('changed password 42');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed').waitFor();
    await screenshot(page, 'settings');

    const oldLogin = await platform.api('POST', '/v1/auth/login', { body: { email, password } });
    const newLogin = await platform.api('POST', '/v1/auth/login', {
      body: { email, password: 'changed password 42' },
    });
    expect(oldLogin.status).toBe(401);
    expect(newLogin.status).toBe(200);

    // A reload keeps the session: the access token is gone, the httpOnly cookie refreshes it.
    await page.reload();
    await page.getByText(email).waitFor();
    expect(
      await page.evaluate(
        'JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie',
      ),
    ).not.toMatch(/eyJ|refresh/);
    browser.assertClean();
  });
});
