import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** What a URL of one mode may point at. */
export interface UrlPolicy {
  requireHttps: boolean;
  allowLoopback: boolean;
  /**
   * Host name suffixes (`.svc.cluster.local`) whose names may resolve to private addresses:
   * test-mode receivers inside the same Kubernetes cluster. Never in live mode; IP literals and
   * every other name are judged as usual.
   */
  privateHostSuffixes: readonly string[];
  /**
   * Ports of the platform itself (its services, PostgreSQL, Redis) that loopback URLs may not
   * name even when loopback is allowed: a test-mode endpoint there would POST to Expe's own
   * services and log the first 1 KB of their answer (issue 11, finding 10).
   */
  platformPorts: readonly number[];
}

export function urlPolicyFor(
  mode: 'test' | 'live',
  allowLoopbackInTest: boolean,
  privateHostSuffixesInTest: readonly string[] = [],
  platformPorts: readonly number[] = [],
): UrlPolicy {
  return mode === 'live'
    ? { requireHttps: true, allowLoopback: false, privateHostSuffixes: [], platformPorts }
    : {
        requireHttps: false,
        allowLoopback: allowLoopbackInTest,
        privateHostSuffixes: privateHostSuffixesInTest,
        platformPorts,
      };
}

/** The port a URL connects to, explicit or the scheme's default. */
function portOf(url: URL): number {
  return Number(url.port || (url.protocol === 'https:' ? 443 : 80));
}

/**
 * The policy for one URL: loopback is off for a URL on one of the platform's own ports, so
 * neither a loopback literal nor a name that resolves to loopback reaches them.
 */
export function policyForUrl(url: URL, policy: UrlPolicy): UrlPolicy {
  if (!policy.allowLoopback || !policy.platformPorts.includes(portOf(url))) return policy;
  return { ...policy, allowLoopback: false };
}

/** Whether a host name may resolve to private addresses under the policy. */
export function isAllowedPrivateHost(hostname: string, policy: UrlPolicy): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return policy.privateHostSuffixes.some((suffix) => {
    const normalized = suffix.toLowerCase().replace(/\.$/, '');
    return normalized.startsWith('.') ? host.endsWith(normalized) : host === normalized;
  });
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Every address a hostname resolves to. Injectable so tests can make DNS say anything. */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: ResolveHost = (hostname) =>
  lookup(hostname, { all: true, verbatim: true });

/** A URL the guard refused, with the reason in words a merchant can act on. */
export class UrlRefusedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'UrlRefusedError';
  }
}

const rangeLabels: Record<string, string> = {
  private: 'a private',
  uniqueLocal: 'a private (unique local)',
  loopback: 'a loopback',
  linkLocal: 'a link-local',
  carrierGradeNat: 'a shared (carrier-grade NAT)',
  unspecified: 'an unspecified',
  multicast: 'a multicast',
  broadcast: 'a broadcast',
};

const metadataAddresses = new Set(['169.254.169.254', 'fd00:ec2::254']);

/**
 * Why an address must not be called, or `undefined` when it may. Only global unicast passes
 * (plus loopback when the policy allows it); IPv4-mapped IPv6 is judged as the IPv4 address it
 * carries, and NAT64, 6to4, Teredo and the rest of ::/8 are refused because they can reach
 * private IPv4 space too.
 */
export function addressRefusal(
  address: string,
  policy: UrlPolicy,
  allowPrivate = false,
): string | undefined {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const normalized = parsed.toString();
  if (metadataAddresses.has(normalized)) return `${address} is a cloud metadata address`;
  const range = parsed.range();
  if (range === 'loopback') {
    return policy.allowLoopback ? undefined : `${address} is a loopback address`;
  }
  if (parsed.kind() === 'ipv6' && ((parsed as ipaddr.IPv6).parts[0] ?? 0) < 0x100) {
    return `${address} is in a reserved or translated IPv6 range`;
  }
  if (range === 'unicast') return undefined;
  if (allowPrivate && (range === 'private' || range === 'uniqueLocal')) return undefined;
  return `${address} is ${rangeLabels[range] ?? `a reserved (${range})`} address`;
}

function isLoopback(address: string): boolean {
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range() === 'loopback';
}

/**
 * The URL's host as the guard judges it: without IPv6 brackets, lower case, without trailing
 * dots (`localhost.` is the same name as `localhost`, and `127.0.0.1.` the same address). The
 * URL parser has already turned decimal, octal, hex and short IPv4 forms (`2130706433`,
 * `0177.0.0.1`, `0x7f.1`, `127.1`) into dotted quads and percent-escapes into letters;
 * IPv4-mapped IPv6 is judged as the IPv4 address it carries (addressRefusal).
 */
export function hostOf(url: URL): string {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return host.toLowerCase().replace(/\.+$/, '');
}

/** `localhost` and every name under it are loopback without asking DNS (RFC 6761 §6.3). */
function isLoopbackName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

/** The address a host stands for when that is known without DNS: an IP literal or localhost. */
function literalAddressOf(host: string): string | undefined {
  if (ipaddr.isValid(host)) return host;
  return isLoopbackName(host) ? '127.0.0.1' : undefined;
}

/**
 * What can be judged without DNS: the scheme, and the address when the host is an IP literal
 * (sockets skip the DNS lookup for those, so the connection-time guard never sees them) or a
 * loopback name (`localhost`, `LOCALHOST.`, `api.localhost`), judged as 127.0.0.1.
 */
export function checkUrlShape(url: URL, basePolicy: UrlPolicy): void {
  const policy = policyForUrl(url, basePolicy);
  const host = hostOf(url);
  const address = literalAddressOf(host);
  if (policy !== basePolicy && address !== undefined && isLoopback(address)) {
    throw new UrlRefusedError(
      `port ${portOf(url)} on loopback belongs to the Expe platform itself; use another port`,
    );
  }
  if (url.protocol !== 'https:' && (policy.requireHttps || url.protocol !== 'http:')) {
    throw new UrlRefusedError(
      policy.requireHttps ? 'live-mode endpoints must use https://' : 'must be http:// or https://',
    );
  }
  if (address !== undefined) {
    const refusal = addressRefusal(address, policy);
    if (refusal) throw new UrlRefusedError(refusal.replace(address, host));
  }
}

/** Resolves a hostname and vets every address; one bad address refuses the whole name. */
export async function resolveVetted(
  hostname: string,
  policy: UrlPolicy,
  resolve: ResolveHost,
): Promise<ResolvedAddress[]> {
  const addresses = await resolve(hostname);
  if (addresses.length === 0) throw new UrlRefusedError(`${hostname} did not resolve`);
  const allowPrivate = isAllowedPrivateHost(hostname, policy);
  for (const { address } of addresses) {
    const refusal = addressRefusal(address, policy, allowPrivate);
    if (refusal)
      throw new UrlRefusedError(
        `${hostname} resolves to ${refusal.replace(/^\S+ is /, '')} (${address})`,
      );
  }
  return addresses;
}

const dnsFailureCodes = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ENODATA', 'ESERVFAIL']);

/**
 * The registration-time check. A name that does not resolve (yet) is accepted: nothing can be
 * learned about it now, and the connection-time guard checks it again on every connection.
 */
export async function checkEndpointUrl(
  value: string,
  policy: UrlPolicy,
  resolve: ResolveHost,
): Promise<void> {
  const url = new URL(value);
  checkUrlShape(url, policy);
  const host = hostOf(url);
  if (literalAddressOf(host) !== undefined) return;
  try {
    await resolveVetted(host, policyForUrl(url, policy), resolve);
  } catch (error) {
    if (dnsFailureCodes.has((error as { code?: string }).code ?? '')) return;
    throw error;
  }
}
