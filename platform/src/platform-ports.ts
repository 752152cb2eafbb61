const loopbackHosts = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** The port a URL of one of the platform's stores connects to, when it is on this machine. */
function loopbackPortOf(value: string | undefined, defaultPort: number): number | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (!loopbackHosts.test(url.hostname)) return undefined;
  return url.port ? Number(url.port) : defaultPort;
}

/**
 * `WEBHOOK_PLATFORM_PORTS` for a platform started on one machine: the loopback ports it really
 * uses — every service, the Stripe-compatible API, and the PostgreSQL and Redis named by
 * `DATABASE_URL` and `REDIS_URL` when they are on loopback (npm start's private ones run on
 * random ports) — plus any ports set in the environment. Test-mode webhook endpoints may use
 * loopback on a developer's machine, but never these ports.
 */
export function platformPortsSetting(facts: {
  env: Record<string, string | undefined>;
  ports: readonly (number | undefined)[];
}): string {
  const configured = (facts.env.WEBHOOK_PLATFORM_PORTS ?? '')
    .split(',')
    .map((item) => Number(item.trim()))
    .filter((port) => Number.isInteger(port) && port > 0);
  const ports = [
    ...facts.ports,
    loopbackPortOf(facts.env.DATABASE_URL, 5432),
    loopbackPortOf(facts.env.REDIS_URL, 6379),
    ...configured,
  ].filter((port): port is number => port !== undefined && port > 0);
  return [...new Set(ports)].sort((a, b) => a - b).join(',');
}
