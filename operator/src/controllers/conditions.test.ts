import { describe, expect, it } from 'vitest';
import { conditionsFor, isReady } from './conditions.js';

const t0 = new Date('2026-01-01T00:00:00.000Z');
const t1 = new Date('2026-01-01T00:05:00.000Z');

describe('conditionsFor', () => {
  it('when the outcome is ready, then Ready is True and Progressing and Degraded are False', () => {
    const conditions = conditionsFor([], { kind: 'ready', message: 'ok' }, 3, t0);

    expect(conditions.map((c) => [c.type, c.status, c.observedGeneration])).toEqual([
      ['Degraded', 'False', 3],
      ['Progressing', 'False', 3],
      ['Ready', 'True', 3],
    ]);
    expect(isReady(conditions)).toBe(true);
  });

  it('when a status does not change, then its lastTransitionTime stays', () => {
    const first = conditionsFor([], { kind: 'ready', message: 'ok' }, 1, t0);

    const second = conditionsFor(first, { kind: 'ready', message: 'ok' }, 1, t1);

    expect(second).toEqual(first);
    expect(second.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
  });

  it('when the outcome turns degraded, then Ready flips with the reason and a new transition time', () => {
    const first = conditionsFor([], { kind: 'ready', message: 'ok' }, 1, t0);

    const second = conditionsFor(
      first,
      { kind: 'degraded', reason: 'MerchantNotFound', message: 'gone' },
      2,
      t1,
    );

    expect(second.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'MerchantNotFound',
      lastTransitionTime: '2026-01-01T00:05:00Z',
    });
    expect(second.find((c) => c.type === 'Degraded')).toMatchObject({
      status: 'True',
      reason: 'MerchantNotFound',
      message: 'gone',
    });
    expect(isReady(second)).toBe(false);
  });

  it('when the outcome is ended, then Ready and Progressing are False with its reason and Degraded stays False', () => {
    const first = conditionsFor([], { kind: 'ready', message: 'ok' }, 1, t0);

    const ended = conditionsFor(
      first,
      { kind: 'ended', reason: 'Expired', message: 'The sandbox ended' },
      1,
      t1,
    );

    expect(ended.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Degraded', 'False', 'Healthy'],
      ['Progressing', 'False', 'Expired'],
      ['Ready', 'False', 'Expired'],
    ]);
    expect(isReady(ended)).toBe(false);
  });
});
