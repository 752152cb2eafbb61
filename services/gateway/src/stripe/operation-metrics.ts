import { metrics } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import type { StripeOperation } from '@expe/stripe-compat';

/** The official SDKs' `User-Agent: Stripe/v1 <Lang>Bindings/<version>`. */
const bindingsPattern = /^Stripe\/v1 \.?(\w+)Bindings\//;
const officialClients = new Set(['node', 'go', 'python', 'ruby', 'java', 'php', 'net']);

/**
 * Which client sent a request: `stripe-node`, `stripe-go`, … for an official SDK (its
 * User-Agent), else `other` (curl, a hand-written client), so the label space stays bounded.
 */
export function stripeClientOf(userAgent: string | undefined): string {
  const lang = bindingsPattern.exec(userAgent ?? '')?.[1]?.toLowerCase();
  if (lang === undefined || !officialClients.has(lang)) return 'other';
  return lang === 'net' ? 'stripe-dotnet' : `stripe-${lang}`;
}

/**
 * Counts every request the listener routed to an operation of the table
 * (`stripe_requests_total`, Prometheus), labelled by the operation's resource and name, the
 * client and the answer's status: which operations integrations use, which unserved ones they
 * try, and — for the e2e tests of both official clients — that each supported operation was
 * driven. Made per app, once telemetry is started (a meter taken before would be a no-op).
 */
export function operationMetrics(): (operation: StripeOperation) => RequestHandler {
  const requests = metrics.getMeter('expe-gateway-stripe').createCounter('stripe_requests', {
    description: 'Requests the Stripe-compatible listener routed to an operation',
  });
  return (operation) => (req, res, next) => {
    res.once('finish', () => {
      requests.add(1, {
        resource: operation.resource,
        operation: operation.name,
        support: operation.support,
        client: stripeClientOf(req.header('user-agent')),
        'http.response.status_code': res.statusCode,
      });
    });
    next();
  };
}
