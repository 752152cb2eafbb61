import { PassThrough } from 'node:stream';
import pg from 'pg';
import { createLogger, type RunningService } from '@expe/server-kit';
import { createTestDatabase, createTestRedisPrefix, type TestDatabase } from '@expe/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAuthConfig, startAuth } from '../src/index.js';
import { apiClient, authEnv, uniqueEmail, type Call } from './support/harness.js';

// Secrets in logs (issue 11, finding 4): a database error carries the statement's parameters
// (drizzle puts them in the message and in `params`; PostgreSQL's `detail` repeats the failing
// row). For a failed registration those are the email, the bcrypt hash and the name. The
// service logs the error; the log must say what failed, never with which values.

const lines: string[] = [];
let database: TestDatabase;
const prefix = createTestRedisPrefix('auth_log_secrets');
let service: RunningService;
let call: Call;

beforeAll(async () => {
  database = await createTestDatabase('auth_log_secrets');
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n')));
  service = await startAuth(loadAuthConfig(authEnv(database.url, prefix.prefix)), {
    logger: createLogger({ name: 'auth', level: 'info' }, stream),
  });
  call = apiClient(service.url);
});
afterAll(async () => {
  await service?.close();
  await prefix.cleanup();
  await database?.drop();
});

/** What must never appear in a log line: hashes, keys, secrets, tokens, card numbers. */
const secretShapes = [
  /\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}/, // bcrypt hash
  /\b[sp]k_(test|live)_[A-Za-z0-9]{8,}/,
  /whsec_[A-Za-z0-9]{8,}/,
  /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./, // a JWT
  /\b4242424242424242\b/,
  /correct horse battery/,
];

describe('error logs', () => {
  it('when registration fails in the database, then the error is logged without the bcrypt hash or any other parameter', async () => {
    // The database refuses every new user, as a constraint added by a later migration might.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query('alter table auth.users add constraint refuse_all check (false) not valid');
    await client.end();
    const email = uniqueEmail('log');

    const response = await call('POST', '/v1/auth/register', {
      body: { email, password: 'correct horse battery', name: 'Asha Secretname' },
    });

    expect(response.status).toBe(500);
    const logged = lines.filter((line) => line.includes('"level":50'));
    expect(logged.length).toBeGreaterThan(0);
    // It still says what failed.
    expect(logged.join('\n')).toMatch(/refuse_all|insert into "users"/);
    for (const line of lines) {
      for (const shape of secretShapes) expect(line).not.toMatch(shape);
      expect(line).not.toContain(email);
      expect(line).not.toContain('Secretname');
    }
  });
});
