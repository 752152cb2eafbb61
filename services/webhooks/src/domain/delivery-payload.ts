import { toStripeEvent, type ExpeEvent } from '@expe/stripe-compat';
import type { EndpointRow } from '../db/endpoint-repository.js';
import { signatureHeader } from './signature.js';

/**
 * The bytes one endpoint receives for an event, and the header that signs them. Expe endpoints
 * get the stored event with `Expe-Signature`; endpoints made through the Stripe-compatible API
 * get it as Stripe's Event object (same id) with `Stripe-Signature`, the same `t=…,v1=…`
 * scheme, so `stripe.webhooks.constructEvent` verifies it with the endpoint's `whsec_`.
 */
export function deliveryPayload(
  endpoint: Pick<EndpointRow, 'format'>,
  storedPayload: string,
  secrets: readonly string[],
  timestamp: number,
): { body: string; signatureHeaders: Record<string, string> } {
  if (endpoint.format !== 'stripe') {
    return {
      body: storedPayload,
      signatureHeaders: {
        'expe-signature': signatureHeader(storedPayload, secrets, timestamp),
      },
    };
  }
  const body = JSON.stringify(toStripeEvent(JSON.parse(storedPayload) as ExpeEvent));
  return {
    body,
    signatureHeaders: { 'stripe-signature': signatureHeader(body, secrets, timestamp) },
  };
}
