import { createBrowserRouter } from 'react-router';
import { AppLayout, RequireRole } from '../components/layout';
import { ApiReferencePage } from './routes/api-reference-page';
import {
  DevMailboxPage,
  ForgotPasswordPage,
  ResetPasswordPage,
  SignInPage,
  SignUpPage,
  VerifyEmailPage,
} from './routes/auth-pages';
import { CheckoutPage } from './routes/checkout-page';
import { DashboardPage } from './routes/dashboard-page';
import { DevelopersPage } from './routes/developers-page';
import { EventsPage } from './routes/events-page';
import { LandingPage } from './routes/landing-page';
import { NotFoundPage } from './routes/not-found-page';
import { PaymentDetailsPage } from './routes/payment-details-page';
import { PaymentsPage } from './routes/payments-page';
import { SettingsPage } from './routes/settings-page';
import { SimulatorPage } from './routes/simulator-page';
import { WalletPage } from './routes/wallet-page';
import { WebhookLogsPage } from './routes/webhook-logs-page';
import { WebhooksPage } from './routes/webhooks-page';

const merchant = (element: React.ReactNode) => (
  <RequireRole roles={['merchant']}>{element}</RequireRole>
);

export const router = createBrowserRouter([
  // The checkout page is the merchant's customer's page: no Expe navigation around it.
  { path: '/pay/:id', element: <CheckoutPage /> },
  {
    element: <AppLayout />,
    children: [
      { path: '/', element: <LandingPage /> },
      { path: '/signup', element: <SignUpPage /> },
      { path: '/signin', element: <SignInPage /> },
      { path: '/verify-email', element: <VerifyEmailPage /> },
      { path: '/forgot-password', element: <ForgotPasswordPage /> },
      { path: '/reset-password', element: <ResetPasswordPage /> },
      { path: '/dev/mailbox', element: <DevMailboxPage /> },
      {
        path: '/wallet',
        element: (
          <RequireRole roles={['user']}>
            <WalletPage />
          </RequireRole>
        ),
      },
      { path: '/dashboard', element: merchant(<DashboardPage />) },
      { path: '/payments', element: merchant(<PaymentsPage />) },
      { path: '/payments/:id', element: merchant(<PaymentDetailsPage />) },
      { path: '/developers', element: merchant(<DevelopersPage />) },
      { path: '/developers/webhooks', element: merchant(<WebhooksPage />) },
      { path: '/developers/simulator', element: merchant(<SimulatorPage />) },
      { path: '/developers/events', element: merchant(<EventsPage />) },
      { path: '/developers/api', element: <ApiReferencePage /> },
      { path: '/webhooks/logs', element: merchant(<WebhookLogsPage />) },
      {
        path: '/settings',
        element: (
          <RequireRole roles={['user', 'merchant', 'admin']}>
            <SettingsPage />
          </RequireRole>
        ),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
