import { builtServicePosts, internalRoutesReason, type BuiltServicePosts } from '@expe/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './support/test-platform.js';

// Idempotency is mounted once, by the kit's createServiceApp: every POST of every service is run
// under its Idempotency-Key (the route kit's postRoute) unless it opted out with a reason. The
// POSTs are read from the Express routers the services actually mounted, so a POST added
// without coverage fails here (and createServiceApp already refuses to build such an app).

/** The public POSTs that opted out, each with the reason its route states. */
const publicOptOuts = [
  'auth POST /v1/auth/register',
  'auth POST /v1/auth/login',
  'auth POST /v1/auth/refresh',
  'auth POST /v1/auth/logout',
  'auth POST /v1/auth/verify-email',
  'auth POST /v1/auth/password-reset/request',
  'auth POST /v1/auth/password-reset/confirm',
  'payments POST /v1/test_helpers/reset',
];

let platform: TestPlatform;
let built: readonly BuiltServicePosts[];

beforeAll(async () => {
  platform = await startTestPlatform();
  built = builtServicePosts();
}, 120_000);

afterAll(async () => {
  await platform?.close();
});

const every = () =>
  built.flatMap(({ service, posts }) => posts.map((post) => ({ service, ...post })));

describe('every POST route is idempotent or explicitly opted out', () => {
  it('when the platform starts, then every service built on createServiceApp listed its POSTs', () => {
    expect(built.map((entry) => entry.service).sort()).toEqual([
      'auth',
      'merchants',
      'payments',
      'webhooks',
    ]);
    for (const entry of built) {
      expect(
        entry.posts.filter((post) => post.coverage.kind === 'idempotent').length,
      ).toBeGreaterThan(0);
    }
  });

  it('when the mounted POSTs are enumerated, then none is uncovered', () => {
    const uncovered = every().filter((post) => post.coverage.kind === 'uncovered');
    expect(uncovered).toEqual([]);
  });

  it('when a public POST opted out, then it is one of the known credential or reset routes, with its reason', () => {
    const optedOut = every().filter(
      (post) => post.coverage.kind === 'opted_out' && !post.path.startsWith('/internal/'),
    );
    expect(optedOut.map((post) => `${post.service} POST ${post.path}`).sort()).toEqual(
      [...publicOptOuts].sort(),
    );
    for (const post of optedOut) {
      if (post.coverage.kind !== 'opted_out') continue;
      expect(post.coverage.reason.length).toBeGreaterThan(20);
    }
  });

  it('when a POST is under /internal/, then it is the service-to-service API the kit opts out, and nothing else is', () => {
    const internal = every().filter((post) => post.path.startsWith('/internal/'));
    expect(internal.length).toBeGreaterThan(0);
    for (const post of internal) {
      expect(post.coverage).toEqual({ kind: 'opted_out', reason: internalRoutesReason });
    }
  });
});

describe('a covered POST answers by the Idempotency-Key contract through the gateway', () => {
  it('when a merchant retries a project create with its key, then it is replayed; with another body, 422', async () => {
    const email = `coverage-${Date.now()}@example.com`;
    const session = await platform.api('POST', '/v1/auth/register', {
      body: { email, password: 'correct horse battery', name: 'Coverage', role: 'merchant' },
    });
    expect(session.status).toBe(201);
    const token = session.body.access_token as string;
    const key = `coverage-${Date.now()}`;
    const send = (name: string) =>
      platform.api('POST', '/v1/projects', {
        token,
        body: { name },
        headers: { 'Idempotency-Key': key },
      });
    const first = await send('Coverage');
    const again = await send('Coverage');
    const other = await send('Other');
    expect(first.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe(first.text);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
  });
});
