import { createLogger } from '@expe/server-kit';
import { describe, expect, it } from 'vitest';
import { createLogSink } from './log-sink.js';

const secrets = {
  key: 'sk_test_4eC39HqLyjWDarjtT1zdp7dc4eC39HqL',
  restricted: 'rk_live_4eC39HqLyjWDarjtT1zdp7dc',
  webhook: 'whsec_5WbX5kEWLlfzsGNjH64I8lOOqUB6e8FH',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3JfMSJ9.c2lnbmF0dXJlc2lnbmF0dXJl',
  session: 'ses_01kb3v4y7m9q2x8c5d6e7f8g9h',
  bcrypt: '$2b$12$wdwxCbS9e.3BtxFP5gDTnuYAQ2aZP0jaiQXQL8nEkaLGjNfqRVC6u',
  argon2: '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG',
  card: '4000056655665556',
};

describe('log sink', () => {
  it('when a line holding a secret reaches the sink, then the scan names each secret', () => {
    const sink = createLogSink();
    for (const [kind, value] of Object.entries(secrets)) {
      sink.stream.write(`${JSON.stringify({ level: 30, msg: `${kind} ${value}` })}\n`);
    }
    sink.stream.write(`${JSON.stringify({ msg: 'login', body: { password: 'hunter2 "x"' } })}\n`);

    const found = sink.findSecrets(['hunter2 "x"']);

    expect(new Set(found.map((finding) => finding.kind))).toEqual(
      new Set([
        'secret key',
        'restricted key',
        'webhook signing secret',
        'JWT',
        'session id',
        'bcrypt hash',
        'argon2 hash',
        'card number',
        'literal',
      ]),
    );
    expect(found).toHaveLength(Object.keys(secrets).length + 1);
  });

  it('when ordinary lines reach the sink, then the scan finds nothing', () => {
    const sink = createLogSink();
    sink.stream.write(
      `${JSON.stringify({ msg: 'request completed', req: { id: 'req_0f25c0e5b7064cf397544684184078ba', path: '/v1/payments' }, amount: 4242424242424241, masked: 'sk_test_…p7dc', publishable: 'pk_test_4eC39HqLyjWDarjtT1zdp7dc' })}\n`,
    );
    expect(sink.findSecrets(['correct horse battery'])).toEqual([]);
  });

  it('when a service logs secrets in a message, an error or under an unlisted key, then the logger writes none of them to the sink', () => {
    const sink = createLogSink();
    const logger = createLogger({ name: 'test', level: 'debug' }, sink.stream);

    logger.info({ body: { password: 'hunter2 "x"', refreshToken: 'r' } }, 'login');
    for (const [kind, value] of Object.entries(secrets)) {
      logger.debug({ note: value }, `${kind} ${value}`);
      logger.error({ err: new Error(`failed with ${value}`) }, 'failed');
    }

    // A request id's hex holds a digit run that passes Luhn: not a card number, left whole.
    logger.info({ reqId: 'req_0f25c0e5b7064cf397544684184078ba' }, 'request completed');

    expect(sink.lines().length).toBe(2 + 2 * Object.keys(secrets).length);
    expect(sink.findSecrets(['hunter2 "x"'])).toEqual([]);
    expect(sink.lines().join('\n')).toContain('[redacted]');
    expect(sink.lines().join('\n')).toContain('req_0f25c0e5b7064cf397544684184078ba');
  });
});
