import { randomUUID } from 'node:crypto';
import { countRows } from '@expe/testing';
import { describe, expect, it } from 'vitest';
import {
  errorOf,
  harnessPerFile,
  registered,
  testPassword,
  uniqueEmail,
  userOf,
} from './support/harness.js';

const h = harnessPerFile('auth_idempotency');

describe('Idempotency-Key in the auth service', () => {
  it('when a password change is retried with its key, then the first 204 is replayed and the second request does not run (its wrong current password is not checked)', async () => {
    const session = await registered(h.call);
    const key = randomUUID();
    const body = { current_password: testPassword, new_password: 'a brand new passphrase' };

    const first = await h.call('POST', '/v1/auth/password', {
      as: userOf(session),
      body,
      headers: { 'idempotency-key': key },
    });
    // The password is new now: running the change again would fail on current_password.
    const again = await h.call('POST', '/v1/auth/password', {
      as: userOf(session),
      body,
      headers: { 'idempotency-key': key },
    });

    expect(first.status).toBe(204);
    expect(again.status).toBe(204);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe('');
  });

  it('when the same key comes with another body, then it is 422 idempotency_key_reused', async () => {
    const session = await registered(h.call);
    const key = randomUUID();
    await h.call('POST', '/v1/auth/password', {
      as: userOf(session),
      body: { current_password: 'not it at all', new_password: 'another new passphrase' },
      headers: { 'idempotency-key': key },
    });

    const reused = await h.call('POST', '/v1/auth/password', {
      as: userOf(session),
      body: { current_password: testPassword, new_password: 'another new passphrase' },
      headers: { 'idempotency-key': key },
    });

    expect(reused.status).toBe(422);
    expect(errorOf(reused).code).toBe('idempotency_key_reused');
  });

  it('when an anonymous register carries a key, then the key is checked but no answer is stored: its tokens are never kept', async () => {
    const email = uniqueEmail('idem');
    const key = randomUUID();
    const body = { email, name: 'Idem', password: testPassword };

    const first = await h.call('POST', '/v1/auth/register', {
      body,
      headers: { 'idempotency-key': key },
    });
    const again = await h.call('POST', '/v1/auth/register', {
      body,
      headers: { 'idempotency-key': key },
    });
    const tooLong = await h.call('POST', '/v1/auth/register', {
      body: { ...body, email: uniqueEmail('long') },
      headers: { 'idempotency-key': 'k'.repeat(256) },
    });

    expect(first.status).toBe(201);
    expect(again.status).toBe(409);
    expect(errorOf(again).code).toBe('email_taken');
    expect(await countRows(h.database.url, 'auth.idempotency_keys', "scope like 'anon:%'")).toBe(0);
    expect(tooLong.status).toBe(400);
    expect(errorOf(tooLong).param).toBe('Idempotency-Key');
    expect(await countRows(h.database.url, 'auth.users', `email like 'long.%'`)).toBe(0);
  });
});
