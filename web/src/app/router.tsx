import type { Role } from '@expe/contracts';
import type { ComponentType } from 'react';
import { createBrowserRouter, type LazyRouteFunction, type RouteObject } from 'react-router';

/**
 * A page loaded on demand: each route is its own chunk, so the checkout page never downloads the
 * merchant console and the landing page never downloads the wallet. `roles` wraps the page in
 * the role guard (signed-in people with one of the roles; others go to sign in).
 *
 * To add a page: write it in its feature (`features/<area>/things-page.tsx`, one page per file),
 * re-export it from `./routes/things-page.tsx`, then add one line
 *   { path: '/things', lazy: page(() => import('./routes/things-page'), 'ThingsPage', ['merchant']) }
 * under the layout (or beside `/pay/:id` for a public page without Expe's navigation). Never
 * import a page module statically here: that would put it back in the entry chunk (the size
 * budget test in e2e/bundle-size.e2e.test.ts fails when the entry grows).
 */
export function page<Module extends Record<string, unknown>>(
  load: () => Promise<Module>,
  name: keyof Module & string,
  roles?: Role[],
): LazyRouteFunction<RouteObject> {
  return async () => {
    const [module, layout] = await Promise.all([
      load(),
      roles ? import('../components/layout') : Promise.resolve(null),
    ]);
    const Page = module[name] as ComponentType;
    if (!roles || !layout) return { Component: Page };
    const { RequireRole } = layout;
    return {
      Component: () => (
        <RequireRole roles={roles}>
          <Page />
        </RequireRole>
      ),
    };
  };
}

const merchant: Role[] = ['merchant'];

export const routes: RouteObject[] = [
  // The checkout page is the merchant's customer's page: no Expe navigation around it.
  { path: '/pay/:id', lazy: page(() => import('./routes/checkout-page'), 'CheckoutPage') },
  {
    lazy: async () => ({ Component: (await import('../components/layout')).AppLayout }),
    children: [
      { path: '/', lazy: page(() => import('./routes/landing-page'), 'LandingPage') },
      { path: '/signup', lazy: page(() => import('./routes/sign-up-page'), 'SignUpPage') },
      { path: '/signin', lazy: page(() => import('./routes/sign-in-page'), 'SignInPage') },
      {
        path: '/verify-email',
        lazy: page(() => import('./routes/verify-email-page'), 'VerifyEmailPage'),
      },
      {
        path: '/forgot-password',
        lazy: page(() => import('./routes/forgot-password-page'), 'ForgotPasswordPage'),
      },
      {
        path: '/reset-password',
        lazy: page(() => import('./routes/reset-password-page'), 'ResetPasswordPage'),
      },
      {
        path: '/dev/mailbox',
        lazy: page(() => import('./routes/dev-mailbox-page'), 'DevMailboxPage'),
      },
      { path: '/wallet', lazy: page(() => import('./routes/wallet-page'), 'WalletPage', ['user']) },
      {
        path: '/dashboard',
        lazy: page(() => import('./routes/dashboard-page'), 'DashboardPage', merchant),
      },
      {
        path: '/payments',
        lazy: page(() => import('./routes/payments-page'), 'PaymentsPage', merchant),
      },
      {
        path: '/balance',
        lazy: page(() => import('./routes/balance-page'), 'BalancePage', merchant),
      },
      {
        path: '/disputes',
        lazy: page(() => import('./routes/disputes-page'), 'DisputesPage', merchant),
      },
      {
        path: '/payments/:id',
        lazy: page(() => import('./routes/payment-details-page'), 'PaymentDetailsPage', merchant),
      },
      {
        path: '/customers',
        lazy: page(() => import('./routes/customers-page'), 'CustomersPage', merchant),
      },
      {
        path: '/qr-codes',
        lazy: page(() => import('./routes/qr-codes-page'), 'QrCodesPage', merchant),
      },
      {
        path: '/developers',
        lazy: page(() => import('./routes/developers-page'), 'DevelopersPage', merchant),
      },
      {
        path: '/developers/webhooks',
        lazy: page(() => import('./routes/webhooks-page'), 'WebhooksPage', merchant),
      },
      {
        path: '/developers/simulator',
        lazy: page(() => import('./routes/simulator-page'), 'SimulatorPage', merchant),
      },
      {
        path: '/developers/events',
        lazy: page(() => import('./routes/events-page'), 'EventsPage', merchant),
      },
      {
        path: '/developers/api',
        lazy: page(() => import('./routes/api-reference-page'), 'ApiReferencePage'),
      },
      {
        path: '/webhooks/logs',
        lazy: page(() => import('./routes/webhook-logs-page'), 'WebhookLogsPage', merchant),
      },
      {
        path: '/settings',
        lazy: page(() => import('./routes/settings-page'), 'SettingsPage', [
          'user',
          'merchant',
          'admin',
        ]),
      },
      { path: '*', lazy: page(() => import('./routes/not-found-page'), 'NotFoundPage') },
    ],
  },
];

export const router = createBrowserRouter([
  // Shown while the first page's chunk loads (an empty page, not a spinner flash).
  { HydrateFallback: () => null, children: routes },
]);
