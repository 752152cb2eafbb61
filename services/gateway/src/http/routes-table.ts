import { publicRoutes, routingTableOf, type PublicService } from '@expe/contracts';

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
export type Upstream = PublicService;

/**
 * Derived from the contracts' route registry (`publicRoutes`): a prefix per resource, owned by
 * the service that owns its routes, and a longer one for a route another service owns under it
 * (`/v1/merchants/me/stats` → payments). Longest prefix first.
 */
const table = routingTableOf(publicRoutes);

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
  return table.find(({ prefix }) => path === prefix || path.startsWith(`${prefix}/`))?.service;
}
