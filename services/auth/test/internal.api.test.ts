import { describe, expect, it } from 'vitest';
import {
  errorOf,
  harnessPerFile,
  register,
  registered,
  testPassword,
  uniqueEmail,
  userOf,
} from './support/harness.js';

const h = harnessPerFile('auth_internal', {
  ADMIN_EMAILS: 'Root@Example.com, ops@example.com',
});

const payments = { kind: 'service', name: 'payments' } as const;

describe('internal user lookups (for payments)', () => {
  it('when payments asks by id, then it gets id, email, name, VPA and role, and nothing secret', async () => {
    const session = await registered(h.call, { name: 'Meera Nair' });

    const response = await h.call('GET', `/internal/users/${session.user.id}`, { as: payments });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      id: session.user.id,
      email: session.user.email,
      name: 'Meera Nair',
      vpa: session.user.vpa,
      role: 'user',
    });
  });

  it('when payments resolves a VPA or an email (any case), then the same user comes back', async () => {
    const session = await registered(h.call, { name: 'Arjun Rao' });

    const byVpa = await h.call('POST', '/internal/users/resolve', {
      as: payments,
      body: { handle: session.user.vpa.toUpperCase() },
    });
    const byEmail = await h.call('POST', '/internal/users/resolve', {
      as: payments,
      body: { handle: session.user.email },
    });

    expect(byVpa.body).toMatchObject({ id: session.user.id });
    expect(byEmail.body).toMatchObject({ id: session.user.id, vpa: session.user.vpa });
  });

  it('when nobody has that handle, then 404 naming handle', async () => {
    const response = await h.call('POST', '/internal/users/resolve', {
      as: payments,
      body: { handle: 'nobody-here@expe' },
    });

    expect(response.status).toBe(404);
    expect(errorOf(response)).toMatchObject({ code: 'resource_missing', param: 'handle' });
  });

  it('when a person, the gateway or another service calls, then 403; without the header, 401', async () => {
    const session = await registered(h.call);

    const asUser = await h.call('GET', `/internal/users/${session.user.id}`, {
      as: userOf(session),
    });
    const asGateway = await h.call('GET', `/internal/users/${session.user.id}`, {
      as: { kind: 'service', name: 'gateway' },
    });
    const direct = await h.call('GET', `/internal/users/${session.user.id}`, { as: null });

    expect([asUser.status, asGateway.status, direct.status]).toEqual([403, 403, 401]);
  });
});

describe('ADMIN_EMAILS', () => {
  it('when a listed email registers, then the account is an admin, whatever role was asked for', async () => {
    const response = await register(h.call, {
      email: 'root@example.com',
      password: testPassword,
      name: 'Root',
      role: 'user',
    });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ user: { role: 'admin' } });
  });

  it('when any other email registers, then it gets the role it asked for', async () => {
    const response = await register(h.call, {
      email: uniqueEmail('plain'),
      password: testPassword,
      name: 'Plain',
      role: 'user',
    });

    expect(response.body).toMatchObject({ user: { role: 'user' } });
  });
});
