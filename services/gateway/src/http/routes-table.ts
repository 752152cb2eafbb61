/**
 * Which service answers which public path. The most specific prefix wins; anything not listed
 * is a 404 at the gateway, and `/internal/*` is never forwarded.
 */
export type Upstream = 'auth' | 'merchants' | 'payments' | 'webhooks';

const entries: { prefix: string; upstream: Upstream }[] = [
  { prefix: '/v1/auth', upstream: 'auth' },
  { prefix: '/v1/dev/mailbox', upstream: 'auth' },
  { prefix: '/v1/merchants', upstream: 'merchants' },
  { prefix: '/v1/projects', upstream: 'merchants' },
  { prefix: '/v1/account', upstream: 'merchants' },
  { prefix: '/v1/merchants/me/stats', upstream: 'payments' },
  { prefix: '/v1/payments', upstream: 'payments' },
  { prefix: '/v1/refunds', upstream: 'payments' },
  { prefix: '/v1/balance', upstream: 'payments' },
  { prefix: '/v1/events', upstream: 'payments' },
  { prefix: '/v1/wallet', upstream: 'payments' },
  { prefix: '/v1/admin', upstream: 'payments' },
  { prefix: '/v1/webhook_endpoints', upstream: 'webhooks' },
];
const table = entries.sort((a, b) => b.prefix.length - a.prefix.length);

export function upstreamFor(path: string): Upstream | undefined {
  return table.find(({ prefix }) => path === prefix || path.startsWith(`${prefix}/`))?.upstream;
}
