import { randomBytes } from 'node:crypto';
import { generateWebhookSignatureHeader } from '@expe/sdk';
import { toStripeEvent, type ExpeEvent } from '@expe/stripe-compat';

export type WebhookFormat = 'expe' | 'stripe';

/** How far a signed timestamp may be from now (docs/webhooks.md: 5 minutes), and how stale ours is. */
export const signatureToleranceSeconds = 300;
const staleBySeconds = 2 * signatureToleranceSeconds;
const largePayloadBytes = 200 * 1024;
const requestTimeoutMs = 10_000;

export interface CaseResult {
  case: string;
  description: string;
  expected: '2xx' | '4xx';
  /** The status of each request the case sent (null: no answer, see `error`). */
  statuses: (number | null)[];
  passed: boolean;
  note?: string;
  error?: string;
}

export interface CheckReport {
  object: 'webhook_check';
  url: string;
  format: WebhookFormat;
  passed: boolean;
  cases: CaseResult[];
}

/** A fresh signing secret in the form Expe's endpoints have. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

const id = (prefix: string) => `${prefix}_check${randomBytes(10).toString('hex')}`;

function paymentEvent(
  type: string,
  created: number,
  payment: { id: string; status: string },
  metadata: Record<string, string> = {},
): ExpeEvent {
  return {
    id: id('evt'),
    object: 'event',
    type,
    created,
    livemode: false,
    data: {
      object: {
        id: payment.id,
        object: 'payment',
        amount: 49900,
        amount_refunded: 0,
        currency: 'inr',
        status: payment.status,
        method: 'card',
        livemode: false,
        description: 'expe webhooks check',
        metadata,
        created,
      },
    },
  } as ExpeEvent;
}

interface Delivery {
  status: number | null;
  error?: string;
}

/**
 * Sends deliveries the way Expe's webhooks service does: the event's JSON as the body and a
 * `t=…,v1=…` signature over it, in `Expe-Signature`, or for `stripe` the event as Stripe's Event
 * object (`toStripeEvent`, as the webhooks service converts it) in `Stripe-Signature`.
 */
function sender(url: string, format: WebhookFormat) {
  const header = format === 'stripe' ? 'stripe-signature' : 'expe-signature';
  return async (
    event: ExpeEvent,
    secret: string,
    timestamp = Math.floor(Date.now() / 1000),
  ): Promise<Delivery> => {
    const body = JSON.stringify(format === 'stripe' ? toStripeEvent(event) : event);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          // The headers the webhooks service sends with every attempt (the same for both formats).
          'user-agent': 'Expe-Webhooks/1.0 (expe webhooks check)',
          'expe-event-id': event.id,
          'expe-delivery-id': id('whd'),
          [header]: generateWebhookSignatureHeader(body, secret, timestamp),
        },
        body,
        signal: AbortSignal.timeout(requestTimeoutMs),
        redirect: 'manual',
      });
      await response.arrayBuffer();
      return { status: response.status };
    } catch (error) {
      return { status: null, error: (error as Error).message };
    }
  };
}

const is2xx = (d: Delivery) => d.status !== null && d.status >= 200 && d.status < 300;
const is4xx = (d: Delivery) => d.status !== null && d.status >= 400 && d.status < 500;

/** How many times the receiver says it processed an event, from `--processed-url URL?event=evt_…`. */
async function processedCount(processedUrl: string, eventId: string): Promise<number | string> {
  const url = new URL(processedUrl);
  url.searchParams.set('event', eventId);
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(requestTimeoutMs) });
    const body = (await response.json()) as { processed?: unknown };
    return typeof body.processed === 'number'
      ? body.processed
      : `${url.pathname} answered no numeric "processed"`;
  } catch (error) {
    return `${url.href} could not be read: ${(error as Error).message}`;
  }
}

/** Runs every case against the receiver, one after another, and grades each answer. */
export async function checkReceiver(options: {
  url: string;
  secret: string;
  format: WebhookFormat;
  processedUrl?: string | undefined;
}): Promise<CheckReport> {
  const send = sender(options.url, options.format);
  const now = () => Math.floor(Date.now() / 1000);
  const cases: CaseResult[] = [];
  const record = (
    name: string,
    description: string,
    expected: '2xx' | '4xx',
    deliveries: Delivery[],
    extra: { passed?: boolean; note?: string } = {},
  ) => {
    const answered = deliveries.every(expected === '2xx' ? is2xx : is4xx);
    const error = deliveries.find((d) => d.error)?.error;
    cases.push({
      case: name,
      description,
      expected,
      statuses: deliveries.map((d) => d.status),
      passed: answered && (extra.passed ?? true),
      ...(extra.note ? { note: extra.note } : {}),
      ...(error ? { error } : {}),
    });
  };
  const payment = () => ({ id: id('pay'), status: 'succeeded' });

  record('valid_signature', 'a correctly signed payment.succeeded', '2xx', [
    await send(paymentEvent('payment.succeeded', now(), payment()), options.secret),
  ]);

  record('bad_signature', 'signed with another secret: a forgery', '4xx', [
    await send(paymentEvent('payment.succeeded', now(), payment()), newWebhookSecret()),
  ]);

  record(
    'stale_timestamp',
    `correctly signed ${staleBySeconds} s ago, past the ${signatureToleranceSeconds} s tolerance: a replay`,
    '4xx',
    [
      await send(
        paymentEvent('payment.succeeded', now() - staleBySeconds, payment()),
        options.secret,
        now() - staleBySeconds,
      ),
    ],
  );

  const duplicate = paymentEvent('payment.succeeded', now(), payment());
  const duplicates = [await send(duplicate, options.secret), await send(duplicate, options.secret)];
  if (options.processedUrl) {
    const count = await processedCount(options.processedUrl, duplicate.id);
    record('duplicate_event', 'the same event id delivered twice (a retry)', '2xx', duplicates, {
      passed: count === 1,
      note:
        typeof count === 'number'
          ? `the receiver processed it ${count} time(s); once is right`
          : count,
    });
  } else {
    record('duplicate_event', 'the same event id delivered twice (a retry)', '2xx', duplicates, {
      note: 'both answered; whether it was processed once cannot be judged from outside (give --processed-url)',
    });
  }

  const filler = 'x'.repeat(1000);
  const metadata: Record<string, string> = {};
  for (let i = 0; i < largePayloadBytes / 1000; i++) metadata[`filler_${i}`] = filler;
  record('large_payload', 'a correctly signed event of about 200 KB', '2xx', [
    await send(paymentEvent('payment.succeeded', now(), payment(), metadata), options.secret),
  ]);

  record(
    'unknown_event_type',
    'a correctly signed event of a type the receiver does not know (it must ignore it)',
    '2xx',
    [await send(paymentEvent('expe_check.unknown_type', now(), payment()), options.secret)],
  );

  const late = payment();
  record(
    'out_of_order',
    'payment.succeeded, then the older payment.created of the same payment',
    '2xx',
    [
      await send(paymentEvent('payment.succeeded', now(), late), options.secret),
      await send(
        paymentEvent('payment.created', now() - 60, {
          id: late.id,
          status: 'requires_payment_method',
        }),
        options.secret,
      ),
    ],
  );

  return {
    object: 'webhook_check',
    url: options.url,
    format: options.format,
    passed: cases.every((c) => c.passed),
    cases,
  };
}
