import { createHash } from 'node:crypto';
import type { WebhookSimulate } from '@expe/contracts';
import { AppError } from '@expe/server-kit';
import type { SendResult } from './send-webhook.js';

/**
 * Webhook chaos (test mode only): an endpoint's `simulate` settings make its
 * deliveries misbehave on purpose. Every draw is a hash of the seed, the event, the endpoint and
 * the attempt, so the same seed repeats the same duplicates, delays and order.
 */
export function chaosDraw(seed: string, ...parts: string[]): number {
  const digest = createHash('sha256')
    .update([seed, ...parts].join('\n'))
    .digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/** A live endpoint delivers real events only: chaos there is refused, naming the field. */
export function assertChaosAllowed(
  mode: 'test' | 'live',
  simulate: WebhookSimulate | null | undefined,
): void {
  if (mode === 'live' && simulate) {
    throw AppError.of(
      'parameter_invalid',
      'Invalid simulate: webhook chaos is for test mode only; a live endpoint cannot carry it',
      { param: 'simulate' },
    );
  }
}

export interface AttemptChaos {
  /** Wait this long before sending (0…max_delay_ms). */
  delayMs: number;
  /** This attempt fails without reaching the receiver (one of the first fail_first_attempts). */
  isSimulatedFailure: boolean;
  /** After a success, send the same delivery once more (duplicate_rate). */
  isDuplicated: boolean;
}

const noChaos: AttemptChaos = { delayMs: 0, isSimulatedFailure: false, isDuplicated: false };

export function planAttempt(
  simulate: WebhookSimulate | null,
  seed: string,
  at: { eventId: string; endpointId: string; attempt: number },
): AttemptChaos {
  if (!simulate) return noChaos;
  const draw = (purpose: string) =>
    chaosDraw(seed, purpose, at.eventId, at.endpointId, String(at.attempt));
  return {
    delayMs: Math.floor(draw('delay') * (simulate.max_delay_ms + 1)),
    isSimulatedFailure: at.attempt <= simulate.fail_first_attempts,
    isDuplicated: simulate.duplicate_rate > 0 && draw('duplicate') < simulate.duplicate_rate,
  };
}

/**
 * How far `reorder` defers an event's first attempt: up to max_delay_ms, or 1 s. The draw
 * depends on the seed and the event only, so with fixed event ids the order is known ahead.
 */
export function reorderOffsetMs(
  simulate: WebhookSimulate | null,
  seed: string,
  eventId: string,
): number {
  if (!simulate?.reorder) return 0;
  const window = Math.max(simulate.max_delay_ms, 1_000);
  return Math.floor(chaosDraw(seed, 'reorder', eventId) * window);
}

/** What an attempt records when chaos failed it before it was sent. */
export const simulatedFailure: SendResult = {
  isSuccess: false,
  statusCode: null,
  latencyMs: 0,
  responseExcerpt: null,
  error: 'simulated failure (simulate.fail_first_attempts); not sent',
};
