import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createPaymentsLogger, maskClientSecret } from './logger.js';

describe('maskClientSecret', () => {
  it('when a URL carries client_secret, then only its value is blanked', () => {
    expect(
      maskClientSecret('/v1/payments/pay_1/qr?format=svg&client_secret=pay_1_secret_abc'),
    ).toBe('/v1/payments/pay_1/qr?format=svg&client_secret=[redacted]');
    expect(maskClientSecret('/v1/payments/pay_1?client_secret=x&limit=2')).toBe(
      '/v1/payments/pay_1?client_secret=[redacted]&limit=2',
    );
    expect(maskClientSecret('/v1/payments?limit=2')).toBe('/v1/payments?limit=2');
  });

  it("when a URL carries a receipt's token, then only its value is blanked", () => {
    expect(maskClientSecret('/v1/receipts/ch_1?token=abc-DEF_1')).toBe(
      '/v1/receipts/ch_1?token=[redacted]',
    );
  });
});

describe('createPaymentsLogger', () => {
  it('when a request is logged, then neither its URL nor its query shows the client secret', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    stream.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    const logger = createPaymentsLogger('info', stream);

    logger.info(
      {
        req: {
          url: '/v1/payments/pay_1/timeline?client_secret=pay_1_secret_SENSITIVE',
          query: { client_secret: 'pay_1_secret_SENSITIVE' },
          headers: { authorization: 'Bearer sk_test_SENSITIVE' },
        },
      },
      'request completed',
    );
    await new Promise((resolve) => setImmediate(resolve));

    const logged = lines.join('');
    expect(logged).not.toContain('SENSITIVE');
    expect(logged).toContain('/v1/payments/pay_1/timeline?client_secret=[redacted]');
  });
});
