/**
 * Which service answers which public path. The most specific prefix wins; anything not listed
 * is a 404 at the gateway, and `/internal/*` and `/metrics` are never forwarded.
 *
 * Routing happens on the path exactly as it will be forwarded, and only canonical paths are
 * routed: a path with `.`/`..` segments, empty segments (`//`), backslashes or percent-encoded
 * separators (`%2e`, `%2f`, `%5c`, `%25`, `%00`) could mean one route here and another after
 * some server, proxy or framework in between normalizes it (issue 11, finding 1). No client of
 * the API needs such a path, so they are refused rather than resolved.
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
  { prefix: '/v1/charges', upstream: 'payments' },
  { prefix: '/v1/receipts', upstream: 'payments' },
  { prefix: '/v1/balance', upstream: 'payments' },
  { prefix: '/v1/balance_transactions', upstream: 'payments' },
  { prefix: '/v1/balance_settings', upstream: 'payments' },
  { prefix: '/v1/payouts', upstream: 'payments' },
  { prefix: '/v1/disputes', upstream: 'payments' },
  { prefix: '/v1/events', upstream: 'payments' },
  { prefix: '/v1/customers', upstream: 'payments' },
  { prefix: '/v1/payment_methods', upstream: 'payments' },
  { prefix: '/v1/setup_intents', upstream: 'payments' },
  { prefix: '/v1/qr_codes', upstream: 'payments' },
  { prefix: '/v1/payment_links', upstream: 'payments' },
  { prefix: '/v1/checkout/sessions', upstream: 'payments' },
  { prefix: '/v1/wallet', upstream: 'payments' },
  { prefix: '/v1/admin', upstream: 'payments' },
  { prefix: '/v1/test_helpers', upstream: 'payments' },
  { prefix: '/v1/admin/users', upstream: 'auth' },
  { prefix: '/v1/webhook_endpoints', upstream: 'webhooks' },
];
const table = entries.sort((a, b) => b.prefix.length - a.prefix.length);

/** Ids, names and actions only: anything that could act as or become a separator is refused. */
const unsafeSegment = /%(?:2e|2f|5c|25|00)|\\/i;
// eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for
const controlCharacter = /[\x00-\x1f\x7f]/;

/** True when `path` (no query) has no segment a normalizer would remove, merge or split. */
export function isCanonicalPath(path: string): boolean {
  if (!path.startsWith('/')) return false;
  const segments = path.slice(1).split('/');
  return segments.every(
    (segment, index) =>
      // A single trailing slash is harmless (`/v1/payments/`); other empty segments are not.
      (segment !== '' || index === segments.length - 1) &&
      segment !== '.' &&
      segment !== '..' &&
      !unsafeSegment.test(segment) &&
      !controlCharacter.test(segment) &&
      decodes(segment),
  );
}

/** Malformed percent-encoding or bytes that are not UTF-8 (`%ED%A0%80`) name no resource. */
function decodes(segment: string): boolean {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

export function upstreamFor(path: string): Upstream | undefined {
  if (!isCanonicalPath(path)) return undefined;
  return table.find(({ prefix }) => path === prefix || path.startsWith(`${prefix}/`))?.upstream;
}
