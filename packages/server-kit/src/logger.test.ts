import { PassThrough } from 'node:stream';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

const secrets = {
  hash: '$2b$12$wdwxCbS9e.3BtxFP5gDTnuYAQ2aZP0jaiQXQL8nEkaLGjNfqRVC6u',
  key: 'sk_test_4eC39HqLyjWDarjtT1zdp7dc',
  publishable: 'pk_live_4eC39HqLyjWDarjtT1zdp7dc',
  webhook: 'whsec_5WbX5kEWLlfzsGNjH64I8lOOqUB6e8FH',
  token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3JfMSJ9.c2lnbmF0dXJlc2lnbmF0dXJl',
  card: '4242424242424242',
};

function capture() {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return { logger: createLogger({ name: 'test' }, stream), text: () => chunks.join('') };
}

describe('error serializer', () => {
  it('when a failed query with secret parameters is logged, then no parameter value reaches the log and the failure is still named', () => {
    const { logger, text } = capture();
    const pgError = Object.assign(new Error('duplicate key value violates unique constraint'), {
      code: '23505',
      constraint: 'api_keys_hash_unique',
      detail: `Key (secret)=(${secrets.key}) already exists.`,
      where: `SQL statement with ${secrets.webhook}`,
      internalQuery: `select '${secrets.card}'`,
    });
    const error = new DrizzleQueryError(
      'insert into "keys" ("hash", "secret", "card", "token") values ($1, $2, $3, $4)',
      Object.values(secrets),
      pgError,
    );

    logger.error({ err: error }, 'unhandled error');
    logger.error(new Error('wrapper', { cause: error }), 'wrapped');
    logger.error({ error: new AggregateError([error], 'many') }, 'aggregate');

    const logged = text();
    for (const value of Object.values(secrets)) expect(logged).not.toContain(value);
    expect(logged).toContain('api_keys_hash_unique');
    expect(logged).toContain('23505');
    expect(logged).toContain('insert into \\"keys\\"');
    expect(logged).toContain('params: [redacted]');
  });
});
