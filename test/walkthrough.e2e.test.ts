import { describe, expect, it } from 'vitest';
import { platformPerFile, uniqueEmail } from './support/test-platform.js';

const t = platformPerFile();

describe('README walk-through, through the gateway', () => {
  it('when a merchant signs up, creates a project and a test key, then the key identifies that merchant, project and mode', async () => {
    const email = uniqueEmail('walk');
    const register = await t.api('POST', '/v1/auth/register', {
      body: { email, password: 'correct horse battery', name: 'Asha Stores', role: 'merchant' },
    });
    expect(register.status).toBe(201);
    expect(register.body).toMatchObject({
      token_type: 'Bearer',
      user: { email, role: 'merchant', email_verified: false },
    });
    expect(register.body.user.vpa).toMatch(/@expe$/);

    const login = await t.api('POST', '/v1/auth/login', {
      body: { email, password: 'correct horse battery' },
    });
    expect(login.status).toBe(200);
    const token = login.body.access_token as string;

    const me = await t.api('GET', '/v1/merchants/me', { token });
    expect(me.status).toBe(200);

    const project = await t.api('POST', '/v1/projects', { token, body: { name: 'Web shop' } });
    expect(project.status).toBe(201);
    expect(project.body).toMatchObject({ object: 'project', name: 'Web shop' });

    const key = await t.api('POST', `/v1/projects/${project.body.id}/api_keys`, {
      token,
      body: { name: 'backend', mode: 'test' },
    });
    expect(key.status).toBe(201);
    expect(key.body.secret).toMatch(/^sk_test_/);
    expect(key.body.publishable).toMatch(/^pk_test_/);

    const account = await t.api('GET', '/v1/account', { token: key.body.secret });
    expect(account.status).toBe(200);
    expect(account.body).toEqual({
      object: 'account',
      merchant_id: me.body.id,
      project_id: project.body.id,
      mode: 'test',
      key_id: key.body.id,
    });
    expect(account.headers.get('request-id')).toMatch(/^req_/);
  });
});
