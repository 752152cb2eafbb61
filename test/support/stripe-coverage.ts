import { stripeOperations, type StripeOperation } from '@expe/stripe-compat';

/** `Resource.name`, as the table names an operation (`PaymentIntent.retrieve`). */
export function operationKey(operation: Pick<StripeOperation, 'resource' | 'name'>): string {
  return `${operation.resource}.${operation.name}`;
}

const sample = /^stripe_requests_total\{([^}]*)\} (\S+)/;
const label = /([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * The operations a client drove to a 2xx answer on the Stripe port, as the listener itself
 * counted them (`stripe_requests_total` on the gateway's /metrics: the request reached the
 * port, the port's own routes matched it to the operation, the client is the User-Agent's).
 */
export async function operationsDriven(gatewayUrl: string, client: string): Promise<Set<string>> {
  const response = await fetch(`${gatewayUrl}/metrics`);
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  const driven = new Set<string>();
  for (const line of (await response.text()).split('\n')) {
    const match = sample.exec(line);
    if (!match || Number(match[2]) <= 0) continue;
    const labels = Object.fromEntries(
      [...(match[1] ?? '').matchAll(label)].map(([, name, value]) => [name, value]),
    );
    const status = Number(labels.http_response_status_code);
    if (labels.client === client && status >= 200 && status < 300) {
      driven.add(`${labels.resource}.${labels.operation}`);
    }
  }
  return driven;
}

/**
 * What the compatibility table marks supported or partial that the client did not drive:
 * `missing` (neither driven nor a listed exception) and `staleExceptions` (listed, but driven
 * after all, so the exception should go).
 */
export async function tableCoverage(
  gatewayUrl: string,
  client: string,
  exceptions: Record<string, string>,
): Promise<{ missing: string[]; staleExceptions: string[] }> {
  const driven = await operationsDriven(gatewayUrl, client);
  const served = stripeOperations.filter((operation) => operation.support !== 'not');
  const keys = served.map(operationKey);
  return {
    missing: keys.filter((key) => !driven.has(key) && !(key in exceptions)),
    staleExceptions: Object.keys(exceptions).filter(
      (key) => driven.has(key) || !keys.includes(key),
    ),
  };
}
