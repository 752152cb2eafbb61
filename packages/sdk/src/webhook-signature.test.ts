import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generateWebhookSignatureHeader,
  verifyWebhookSignature,
  WebhookSignatureError,
  type WebhookSignatureFailure,
} from './webhook-signature.js';

const secret = 'whsec_0123456789abcdefghijklmnopqrstuv';
const otherSecret = 'whsec_ZYXWVUTSRQPONMLKJIHGFEDCBA98765432';
const body = JSON.stringify({
  id: 'evt_01kb3v4y7m9q2x8c5d6e7f8g9h',
  object: 'event',
  type: 'payment.succeeded',
  created: 1764115200,
  livemode: false,
  data: { object: { id: 'pay_01kb3v4y7m9q2x8c5d6e7f8g9h', amount: 5000 } },
});
const t = 1764115200;
const now = t * 1000;

/** Signed independently of the SDK, exactly as docs/webhooks.md defines it. */
function sign(key: string, timestamp: number, payload: string): string {
  return createHmac('sha256', key).update(`${timestamp}.${payload}`).digest('hex');
}

function failureOf(run: () => unknown): WebhookSignatureFailure | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookSignatureError) return error.reason;
    throw error;
  }
  return undefined;
}

describe('verifyWebhookSignature', () => {
  it('when the header signs the body with the secret, then it returns the parsed event', () => {
    const header = `t=${t},v1=${sign(secret, t, body)}`;

    const event = verifyWebhookSignature(body, header, secret, 300, now);

    expect(event).toEqual(JSON.parse(body));
  });

  it('when the body arrives as a Buffer, then the same bytes verify', () => {
    const header = `t=${t},v1=${sign(secret, t, body)}`;

    expect(verifyWebhookSignature(Buffer.from(body), header, [secret], 300, now)).toMatchObject({
      type: 'payment.succeeded',
    });
  });

  it('when one byte of the body changed, then it is a signature_mismatch', () => {
    const header = `t=${t},v1=${sign(secret, t, body)}`;
    const changed = body.replace('5000', '5001');

    expect(failureOf(() => verifyWebhookSignature(changed, header, secret, 300, now))).toBe(
      'signature_mismatch',
    );
  });

  it('when the timestamp in the header was changed, then it is a signature_mismatch', () => {
    const header = `t=${t + 1},v1=${sign(secret, t, body)}`;

    expect(failureOf(() => verifyWebhookSignature(body, header, secret, 300, now + 1000))).toBe(
      'signature_mismatch',
    );
  });

  it('when a correct signature is older than the tolerance, then it is refused as a replay', () => {
    const old = t - 301;
    const header = `t=${old},v1=${sign(secret, old, body)}`;

    expect(failureOf(() => verifyWebhookSignature(body, header, secret, 300, now))).toBe(
      'timestamp_outside_tolerance',
    );
    expect(verifyWebhookSignature(body, header, secret, 0, now)).toBeTruthy();
  });

  it('when the timestamp lies too far in the future, then it is refused too', () => {
    const future = t + 301;
    const header = `t=${future},v1=${sign(secret, future, body)}`;

    expect(failureOf(() => verifyWebhookSignature(body, header, secret, 300, now))).toBe(
      'timestamp_outside_tolerance',
    );
  });

  it('when the body was signed with another secret, then it is a signature_mismatch', () => {
    const header = `t=${t},v1=${sign(otherSecret, t, body)}`;

    expect(failureOf(() => verifyWebhookSignature(body, header, secret, 300, now))).toBe(
      'signature_mismatch',
    );
  });

  it.each([
    ['an empty header', ''],
    ['no timestamp', `v1=${sign(secret, t, body)}`],
    ['a timestamp that is not a number', `t=soon,v1=${sign(secret, t, body)}`],
    ['two timestamps', `t=${t},t=${t},v1=${sign(secret, t, body)}`],
    ['a part without =', `t=${t},${sign(secret, t, body)}`],
  ])('when the header has %s, then it is malformed_header', (_case, header) => {
    expect(failureOf(() => verifyWebhookSignature(body, header, secret, 300, now))).toBe(
      'malformed_header',
    );
  });

  it('when the header has a timestamp but no v1, then it is no_signatures', () => {
    expect(failureOf(() => verifyWebhookSignature(body, `t=${t},v0=abc`, secret, 300, now))).toBe(
      'no_signatures',
    );
  });

  it('when a v1 is not 64 hex characters, then it cannot match', () => {
    const header = `t=${t},v1=${sign(secret, t, body).slice(0, 62)}`;

    expect(failureOf(() => verifyWebhookSignature(body, header, secret, 300, now))).toBe(
      'no_signatures',
    );
  });

  it('during a rotation, then a header signed with both secrets verifies with either one', () => {
    const header = `t=${t},v1=${sign(secret, t, body)},v1=${sign(otherSecret, t, body)}`;

    expect(verifyWebhookSignature(body, header, secret, 300, now)).toBeTruthy();
    expect(verifyWebhookSignature(body, header, otherSecret, 300, now)).toBeTruthy();
    expect(verifyWebhookSignature(body, header, [otherSecret, secret], 300, now)).toBeTruthy();
  });

  it('when the receiver holds both secrets and only the new one signs, then it verifies', () => {
    const header = `t=${t},v1=${sign(otherSecret, t, body)}`;

    expect(verifyWebhookSignature(body, header, [secret, otherSecret], 300, now)).toBeTruthy();
  });

  it('when the signed body is not JSON, then it is invalid_payload', () => {
    const header = `t=${t},v1=${sign(secret, t, 'not json')}`;

    expect(failureOf(() => verifyWebhookSignature('not json', header, secret, 300, now))).toBe(
      'invalid_payload',
    );
  });

  it('when no secret is given, then it is a programming error, not a verification failure', () => {
    expect(() => verifyWebhookSignature(body, `t=${t},v1=00`, [], 300, now)).toThrow(TypeError);
  });
});

describe('generateWebhookSignatureHeader', () => {
  it('when given two secrets, then it writes one v1 per secret that the verifier accepts', () => {
    const header = generateWebhookSignatureHeader(body, [secret, otherSecret], t);

    expect(header).toBe(`t=${t},v1=${sign(secret, t, body)},v1=${sign(otherSecret, t, body)}`);
    expect(verifyWebhookSignature(body, header, otherSecret, 300, now)).toBeTruthy();
  });
});
