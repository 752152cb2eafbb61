import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  onboardMerchant,
  startTestPlatform,
  uniqueEmail,
  type OnboardedMerchant,
  type TestPlatform,
} from './support/test-platform.js';

// Merchant users with their session: a merchant user's access token with
// Expe-Project and Expe-Mode acts as that project's secret key of that mode, through the real
// gateway. The web console relies on it so that no sk_ ever sits in a browser.

let t: TestPlatform;
let own: OnboardedMerchant;
let other: OnboardedMerchant;

const acting = (merchant: OnboardedMerchant, project: string, mode: string) => ({
  token: merchant.token,
  headers: { 'expe-project': project, 'expe-mode': mode },
});

beforeAll(async () => {
  t = await startTestPlatform();
  own = await onboardMerchant(t, 'session-own');
  other = await onboardMerchant(t, 'session-other');
});
afterAll(async () => {
  await t?.close();
});

describe('a merchant user acting for a project with the session', () => {
  it("when the session creates and reads payments in test mode, then it sees the same data as the project's test secret key", async () => {
    const session = acting(own, own.project.id, 'test');

    const created = await t.api('POST', '/v1/payments', {
      ...session,
      body: { amount: 2_500, currency: 'inr', description: 'made with the session' },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.livemode).toBe(false);

    const bySession = await t.api('GET', `/v1/payments/${created.body.id}`, session);
    const byKey = await t.api('GET', `/v1/payments/${created.body.id}`, { token: own.key.secret });
    expect(bySession.status).toBe(200);
    expect(bySession.body).toEqual(byKey.body);

    const listBySession = await t.api('GET', '/v1/payments?limit=100', session);
    const listByKey = await t.api('GET', '/v1/payments?limit=100', { token: own.key.secret });
    expect(listBySession.body.data.map((payment: { id: string }) => payment.id)).toEqual(
      listByKey.body.data.map((payment: { id: string }) => payment.id),
    );
  });

  it('when the session acts in live mode, then test objects are not there (404), as for a live key', async () => {
    const payment = await t.api('POST', '/v1/payments', {
      token: own.key.secret,
      body: { amount: 1_000, currency: 'inr' },
    });

    const live = await t.api(
      'GET',
      `/v1/payments/${payment.body.id}`,
      acting(own, own.project.id, 'live'),
    );

    expect(live.status).toBe(404);
    const list = await t.api('GET', '/v1/payments', acting(own, own.project.id, 'live'));
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([]);
  });

  it("when another merchant's user names this project, then it does not exist for them (404) and nothing is written", async () => {
    const before = await t.api('GET', '/v1/payments?limit=100', { token: own.key.secret });

    const read = await t.api('GET', '/v1/payments', acting(other, own.project.id, 'test'));
    const write = await t.api('POST', '/v1/payments', {
      ...acting(other, own.project.id, 'test'),
      body: { amount: 100, currency: 'inr' },
    });

    for (const response of [read, write]) {
      expect(response.status).toBe(404);
      expect(response.body.error).toMatchObject({
        code: 'resource_missing',
        param: 'Expe-Project',
      });
    }
    const after = await t.api('GET', '/v1/payments?limit=100', { token: own.key.secret });
    expect(after.body.data).toEqual(before.body.data);
  });

  it("when the session acts for the merchant's other project, then the first project's payment is not there (404), not listed, and not in that project's request log", async () => {
    const project = await t.api('POST', '/v1/projects', {
      token: own.token,
      body: { name: 'second project' },
    });
    expect(project.status, project.text).toBe(201);
    const inFirst = await t.api('POST', '/v1/payments', {
      ...acting(own, own.project.id, 'test'),
      body: { amount: 1_500, currency: 'inr', description: 'first project' },
    });
    expect(inFirst.status, inFirst.text).toBe(201);
    const firstRequest = inFirst.headers.get('request-id');
    const second = acting(own, project.body.id, 'test');

    const read = await t.api('GET', `/v1/payments/${inFirst.body.id}`, second);
    const list = await t.api('GET', '/v1/payments?limit=100', second);
    // The log is written as the answer finishes: once the first project's log has the request,
    // the second project's log would have it too if logs were shared.
    const idsOf = (log: { body: { data: { id: string }[] } }) =>
      log.body.data.map((entry) => entry.id);
    await vi.waitFor(async () =>
      expect(
        idsOf(await t.api('GET', '/v1/request_logs?limit=100', { token: own.key.secret })),
      ).toContain(firstRequest),
    );
    const log = await t.api('GET', '/v1/request_logs?limit=100', second);

    expect(read.status).toBe(404);
    expect(list.body.data).toEqual([]);
    expect(log.status).toBe(200);
    expect(idsOf(log)).not.toContain(firstRequest);
  });

  it('when a wallet user sends Expe-Project, then it is refused (403)', async () => {
    const wallet = await t.api('POST', '/v1/auth/register', {
      body: { email: uniqueEmail('session-wallet'), password: 'correct horse battery', name: 'W' },
    });

    const response = await t.api('GET', '/v1/payments', {
      token: wallet.body.access_token,
      headers: { 'expe-project': own.project.id, 'expe-mode': 'test' },
    });

    expect(response.status).toBe(403);
    expect(response.body.error).toMatchObject({ code: 'permission_denied' });
  });

  it('when the headers are missing or malformed, then a 400 names the header', async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ 'expe-project': own.project.id }, 'parameter_missing', 'Expe-Mode'],
      [{ 'expe-project': own.project.id, 'expe-mode': 'prod' }, 'parameter_invalid', 'Expe-Mode'],
      [{ 'expe-mode': 'test' }, 'parameter_missing', 'Expe-Project'],
      [{ 'expe-project': 'project-1', 'expe-mode': 'test' }, 'parameter_invalid', 'Expe-Project'],
    ];
    for (const [headers, code, param] of cases) {
      const response = await t.api('GET', '/v1/payments', { token: own.token, headers });
      expect(response.status, JSON.stringify(headers)).toBe(400);
      expect(response.body.error).toMatchObject({ code, param });
    }
  });

  it('when an API key is sent with headers naming another project or mode, then it is refused (400)', async () => {
    const wrongProject = await t.api('GET', '/v1/payments', {
      token: own.key.secret,
      headers: { 'expe-project': other.project.id },
    });
    const wrongMode = await t.api('GET', '/v1/payments', {
      token: own.key.secret,
      headers: { 'expe-mode': 'live' },
    });
    const matching = await t.api('GET', '/v1/payments', {
      token: own.key.secret,
      headers: { 'expe-project': own.project.id, 'expe-mode': 'test' },
    });

    expect(wrongProject.body.error).toMatchObject({
      code: 'parameter_invalid',
      param: 'Expe-Project',
    });
    expect(wrongMode.body.error).toMatchObject({ code: 'parameter_invalid', param: 'Expe-Mode' });
    expect(matching.status).toBe(200);
  });

  it('when the session acts for its project, then no API key is created or rolled', async () => {
    const keysBefore = await t.api('GET', `/v1/projects/${own.project.id}/api_keys`, {
      token: own.token,
    });

    for (const path of ['/v1/payments', '/v1/events', '/v1/balance', '/v1/webhook_endpoints']) {
      const response = await t.api('GET', path, acting(own, own.project.id, 'test'));
      expect(response.status, path).toBe(200);
    }

    const keysAfter = await t.api('GET', `/v1/projects/${own.project.id}/api_keys`, {
      token: own.token,
    });
    expect(keysAfter.body).toEqual(keysBefore.body);
  });

  it('when the session is signed out, then Expe-Project no longer opens the project (401)', async () => {
    const merchant = await onboardMerchant(t, 'session-signout');
    const session = acting(merchant, merchant.project.id, 'test');
    expect((await t.api('GET', '/v1/payments', session)).status).toBe(200);

    const logout = await t.api('POST', '/v1/auth/logout', {
      body: { refresh_token: merchant.session.refresh_token },
    });
    expect(logout.status).toBe(204);

    expect((await t.api('GET', '/v1/payments', session)).status).toBe(401);
  });
});
