import type { ApiKeyResource } from '@expe/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ToastProvider } from '../components/toast';
import { ApiKeyDialogs } from './merchants/components/api-key-dialogs';
import { EndpointDialogs } from './webhooks/components/endpoint-dialogs';

const key: ApiKeyResource = {
  id: 'key_01kb3v4y7m9q2x8c5d6e7f8g9h',
  object: 'api_key',
  name: 'Backend',
  mode: 'test',
  project: 'prj_01kb3v4y7m9q2x8c5d6e7f8g9h',
  secret: 'sk_test_4eC39HqLyjWDarjtT1zdp7dc',
  secret_masked: 'sk_test_…p7dc',
  publishable: 'pk_test_TYooMQauvdEDq54NiTphI7jx',
  status: 'active',
  expiring_secrets: [],
  last_used: null,
  created: 1_796_000_000,
};

function renderWithProviders(children: ReactNode) {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <ToastProvider>{children}</ToastProvider>
    </QueryClientProvider>,
  );
}

/** The one reveal: the value, its copy button, "shown only once", and Done, which closes it. */
async function expectRevealed(title: string, secret: string, setDialog: () => void) {
  const dialog = screen.getByRole('dialog', { name: title });
  expect(within(dialog).getByTestId('secret-value').textContent).toBe(secret);
  expect(within(dialog).getByText('Copy it now: it is shown only once.')).toBeTruthy();
  expect(within(dialog).getByRole('button', { name: 'Copy to clipboard' })).toBeTruthy();
  await userEvent.click(within(dialog).getByRole('button', { name: 'Done' }));
  expect(setDialog).toHaveBeenCalledWith(null);
}

describe('SecretRevealDialog', () => {
  it('when an API key is created or rolled, then its secret is shown once in the one dialog', async () => {
    const setDialog = vi.fn();
    renderWithProviders(
      <ApiKeyDialogs
        dialog={{ kind: 'secret', key }}
        mode="test"
        setDialog={setDialog}
        onChanged={vi.fn().mockResolvedValue(undefined)}
      />,
    );

    expect(screen.getByText(key.publishable)).toBeTruthy();
    await expectRevealed('Your new secret key', key.secret!, setDialog);
  });

  it('when a webhook endpoint is added or its secret rotated, then the signing secret is shown once in the same dialog', async () => {
    const setDialog = vi.fn();
    renderWithProviders(
      <EndpointDialogs
        apiKey={{ id: 'k', name: 'Console', projectId: 'prj_1', mode: 'test', secret: 'session' }}
        dialog={{ kind: 'secret', secret: 'whsec_0123456789abcdef', title: 'New signing secret' }}
        setDialog={setDialog}
        onChanged={vi.fn().mockResolvedValue(undefined)}
      />,
    );

    expect(screen.getByText('Expe-Signature')).toBeTruthy();
    await expectRevealed('New signing secret', 'whsec_0123456789abcdef', setDialog);
  });

  it('when the app shows a secret value, then it is inside SecretRevealDialog and nowhere else', () => {
    const src = join(import.meta.dirname, '..');
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) return sources(path);
        return entry.name.endsWith('.tsx') && !entry.name.includes('.test.') ? [path] : [];
      });
    const revealing = sources(src)
      .filter((path) => /<Secret\b/.test(readFileSync(path, 'utf8')))
      .map((path) => relative(src, path));
    expect(revealing).toEqual(['components/secret-reveal-dialog.tsx']);
  });
});
