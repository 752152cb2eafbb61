import { createServiceClient, type Logger, type Secret } from '@expe/server-kit';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DisabledEndpointNotifier } from './context.js';

export const disabledEventType = 'webhook_endpoint.disabled';

export interface PaymentsEventsNotifier extends DisabledEndpointNotifier {
  /** Waits for notifications still being sent, up to `timeoutMs`. */
  drain(timeoutMs: number): Promise<void>;
}

/**
 * Records `webhook_endpoint.disabled` in the merchant's event log through the payments
 * service (`POST /internal/events`), which owns events. Best effort: retried a few times in
 * the background, then logged; an endpoint is disabled whether or not the event lands.
 */
export function createPaymentsEventsNotifier(options: {
  paymentsUrl: string;
  secret: Secret;
  logger: Logger;
  retryDelaysMs?: readonly number[];
}): PaymentsEventsNotifier {
  const call = createServiceClient({
    baseUrl: options.paymentsUrl,
    secret: options.secret,
    caller: 'webhooks',
  });
  const retryDelaysMs = options.retryDelaysMs ?? [500, 2_000, 5_000, 15_000];
  const inFlight = new Set<Promise<void>>();
  const controller = new AbortController();

  async function send(body: unknown, endpointId: string): Promise<void> {
    for (let attempt = 0; attempt <= retryDelaysMs.length; attempt++) {
      if (attempt > 0) {
        await sleep(retryDelaysMs[attempt - 1] ?? 0, undefined, { signal: controller.signal });
      }
      try {
        const response = await call('POST', '/internal/events', body);
        if (response.status >= 200 && response.status < 300) return;
        // A 4xx will not change on retry.
        if (response.status < 500) {
          options.logger.error(
            { endpointId, status: response.status, body: response.body },
            'payments refused the webhook_endpoint.disabled event',
          );
          return;
        }
      } catch (error) {
        options.logger.warn({ err: error, endpointId, attempt }, 'payments did not answer');
      }
    }
    options.logger.error(
      { endpointId },
      'gave up recording webhook_endpoint.disabled in the event log',
    );
  }

  return {
    notify({ merchantId, mode, endpoint }) {
      const body = {
        type: disabledEventType,
        merchant_id: merchantId,
        mode,
        data: { object: endpoint },
      };
      const task = send(body, endpoint.id)
        .catch((error: unknown) => {
          options.logger.error(
            { err: error, endpointId: endpoint.id },
            controller.signal.aborted
              ? 'shut down before webhook_endpoint.disabled was recorded'
              : 'recording webhook_endpoint.disabled failed',
          );
        })
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
    },
    async drain(timeoutMs) {
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        await Promise.allSettled([...inFlight]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
