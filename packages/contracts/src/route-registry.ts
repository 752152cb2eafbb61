// The one registry of public routes: for every route a service mounts, its owning service and
// the kinds of caller it serves. The gateway's routing table is derived from it
// (services/gateway/src/http/routes-table.ts), the authorization matrix test derives its rows
// from it (test/authorization-matrix.e2e.test.ts), and test/route-registry.test.ts proves it
// is exactly the set of routes the services mount.

/** The services behind the gateway that own public routes. */
export type PublicService = 'auth' | 'merchants' | 'payments' | 'webhooks';

/**
 * The callers the gateway tells apart (`services/gateway/src/domain/authenticate.ts`): no
 * credential; a person's access token by role; a secret or a publishable API key. A merchant
 * user's session with `Expe-Project` and `Expe-Mode` is that project's `secret_key`.
 */
export type CallerKind =
  'anonymous' | 'user' | 'merchant_user' | 'admin' | 'secret_key' | 'publishable_key';

export const callerKinds: readonly CallerKind[] = [
  'anonymous',
  'user',
  'merchant_user',
  'admin',
  'secret_key',
  'publishable_key',
];

export type PublicMethod = 'GET' | 'POST' | 'DELETE';

export interface PublicRoute {
  method: PublicMethod;
  /** Express form, as the service mounts it: `/v1/payments/:id`. */
  path: string;
  service: PublicService;
  /** Who may call it; anyone else is refused (401 without a fitting credential, else 403). */
  callers: readonly CallerKind[];
}

/** Any caller: the route itself decides (a client_secret, a token in the body, a receipt's token). */
const anyone = callerKinds;
const sessions: readonly CallerKind[] = ['user', 'merchant_user', 'admin'];
const merchantUser: readonly CallerKind[] = ['merchant_user'];
const admin: readonly CallerKind[] = ['admin'];
const secretKey: readonly CallerKind[] = ['secret_key'];

function routesOf(
  service: PublicService,
  callers: readonly CallerKind[],
  routes: readonly `${PublicMethod} /v1/${string}`[],
): PublicRoute[] {
  return routes.map((route) => {
    const [method, path] = route.split(' ') as [PublicMethod, string];
    return { method, path, service, callers };
  });
}

export const publicRoutes: readonly PublicRoute[] = [
  ...routesOf('auth', anyone, [
    'POST /v1/auth/register',
    'POST /v1/auth/login',
    'POST /v1/auth/refresh',
    'POST /v1/auth/logout',
    'POST /v1/auth/verify-email',
    'POST /v1/auth/password-reset/request',
    'POST /v1/auth/password-reset/confirm',
    // Development only (DEV_MAILBOX): the mails the sandbox would have sent.
    'GET /v1/dev/mailbox',
  ]),
  ...routesOf('auth', sessions, [
    'POST /v1/auth/verify-email/resend',
    'POST /v1/auth/password',
    'GET /v1/auth/me',
    'DELETE /v1/auth/me',
  ]),
  ...routesOf('auth', admin, ['POST /v1/admin/users/:id/disable']),

  ...routesOf('merchants', merchantUser, [
    'GET /v1/merchants/me',
    'POST /v1/merchants/me',
    'POST /v1/projects',
    'GET /v1/projects',
    'GET /v1/projects/:id',
    'POST /v1/projects/:id',
    'DELETE /v1/projects/:id',
    'POST /v1/projects/:id/api_keys',
    'GET /v1/projects/:id/api_keys',
    'DELETE /v1/projects/:id/api_keys/:key_id',
    'POST /v1/projects/:id/api_keys/:key_id/roll',
  ]),
  ...routesOf('merchants', secretKey, ['GET /v1/account']),

  // The hosted pages' calls: the payment's client_secret (or a receipt's token) is the right.
  ...routesOf('payments', anyone, [
    'POST /v1/payments/:id/confirm',
    'POST /v1/payments/:id/authenticate',
    'GET /v1/payments/:id/qr',
    'GET /v1/receipts/:id',
    'POST /v1/setup_intents/:id/confirm',
    'POST /v1/setup_intents/:id/authenticate',
    'GET /v1/checkout/sessions/:id',
    'POST /v1/payment_links/:id/checkout',
    'GET /v1/qr_codes/:id/image',
  ]),
  ...routesOf('payments', secretKey, [
    'POST /v1/payments',
    'GET /v1/payments',
    'GET /v1/payments/:id',
    'POST /v1/payments/:id',
    'POST /v1/payments/:id/cancel',
    'POST /v1/payments/:id/capture',
    'GET /v1/payments/:id/timeline',
    'POST /v1/refunds',
    'GET /v1/refunds',
    'GET /v1/refunds/:id',
    'POST /v1/refunds/:id',
    'GET /v1/charges',
    'GET /v1/charges/:id',
    'POST /v1/charges/:id',
    'POST /v1/charges/:id/capture',
    'GET /v1/balance',
    'GET /v1/balance_transactions',
    'GET /v1/balance_transactions/:id',
    'GET /v1/balance_settings',
    'POST /v1/balance_settings',
    'POST /v1/payouts',
    'GET /v1/payouts',
    'GET /v1/payouts/:id',
    'POST /v1/payouts/:id',
    'POST /v1/payouts/:id/cancel',
    'POST /v1/payouts/:id/reverse',
    'GET /v1/disputes',
    'GET /v1/disputes/:id',
    'POST /v1/disputes/:id',
    'POST /v1/disputes/:id/close',
    'POST /v1/customers',
    'GET /v1/customers',
    'GET /v1/customers/:id',
    'POST /v1/customers/:id',
    'DELETE /v1/customers/:id',
    'GET /v1/customers/:id/payment_methods',
    'POST /v1/payment_methods',
    'GET /v1/payment_methods',
    'GET /v1/payment_methods/:id',
    'POST /v1/payment_methods/:id',
    'POST /v1/payment_methods/:id/attach',
    'POST /v1/payment_methods/:id/detach',
    'POST /v1/setup_intents',
    'GET /v1/setup_intents',
    'GET /v1/setup_intents/:id',
    'POST /v1/setup_intents/:id',
    'POST /v1/setup_intents/:id/cancel',
    'POST /v1/qr_codes',
    'GET /v1/qr_codes',
    'GET /v1/qr_codes/:id',
    'GET /v1/qr_codes/:id/payments',
    'POST /v1/qr_codes/:id/close',
    'POST /v1/payment_links',
    'GET /v1/payment_links',
    'GET /v1/payment_links/:id',
    'POST /v1/payment_links/:id',
    'POST /v1/checkout/sessions',
    'GET /v1/checkout/sessions',
    'GET /v1/checkout/sessions/:id/line_items',
    'POST /v1/checkout/sessions/:id/expire',
    'GET /v1/events',
    'GET /v1/events/:id',
    'GET /v1/test_helpers/clock',
    'POST /v1/test_helpers/clock/advance',
    'POST /v1/test_helpers/payments/:id/complete',
    'POST /v1/test_helpers/qr_codes/:id/pay',
    'POST /v1/test_helpers/reset',
  ]),
  ...routesOf('payments', [...merchantUser, ...secretKey], ['GET /v1/merchants/me/stats']),
  ...routesOf('payments', sessions, [
    'GET /v1/wallet',
    'POST /v1/wallet/topup',
    'POST /v1/wallet/transfers',
    'GET /v1/wallet/transactions',
  ]),
  ...routesOf('payments', admin, ['GET /v1/admin/reconciliation']),

  ...routesOf('webhooks', secretKey, [
    'POST /v1/webhook_endpoints',
    'GET /v1/webhook_endpoints',
    'GET /v1/webhook_endpoints/:id',
    'POST /v1/webhook_endpoints/:id',
    'DELETE /v1/webhook_endpoints/:id',
    'POST /v1/webhook_endpoints/:id/rotate_secret',
    'POST /v1/webhook_endpoints/:id/test',
    'GET /v1/webhook_endpoints/:id/deliveries',
    'POST /v1/webhook_endpoints/:id/redeliver',
  ]),
];

/** The path's fixed part, up to its first parameter: `/v1/payments/:id/confirm` → `/v1/payments`. */
export function staticPrefixOf(path: string): string {
  const segments = path.split('/');
  const firstParam = segments.findIndex((segment) => segment.startsWith(':'));
  return firstParam === -1 ? path : segments.slice(0, firstParam).join('/');
}

/**
 * The gateway's routing table: a prefix per resource (`/v1/<resource>`) owned by the service
 * that owns most of its routes, and a longer prefix for each route another service owns under
 * it (`/v1/merchants/me/stats`, `/v1/admin/users`). Longest prefix first.
 */
export function routingTableOf(
  routes: readonly PublicRoute[],
): { prefix: string; service: PublicService }[] {
  const resourceOf = (path: string) => path.split('/').slice(0, 3).join('/');
  const owners = new Map<string, Map<PublicService, number>>();
  for (const route of routes) {
    const counts = owners.get(resourceOf(route.path)) ?? new Map<PublicService, number>();
    counts.set(route.service, (counts.get(route.service) ?? 0) + 1);
    owners.set(resourceOf(route.path), counts);
  }
  const table = new Map<string, PublicService>();
  for (const [resource, counts] of owners) {
    const [owner] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
    if (owner) table.set(resource, owner);
  }
  for (const route of routes) {
    if (table.get(resourceOf(route.path)) !== route.service) {
      table.set(staticPrefixOf(route.path), route.service);
    }
  }
  return [...table.entries()]
    .map(([prefix, service]) => ({ prefix, service }))
    .sort((a, b) => b.prefix.length - a.prefix.length || a.prefix.localeCompare(b.prefix));
}
