import {
  authInternalApi,
  merchantsInternalApi,
  paymentsInternalApi,
  publicRoutes,
} from '@expe/contracts';
import { builtServiceRoutes } from '@expe/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './support/test-platform.js';

// One route registry (issue 25, item 5): the contracts' `publicRoutes` names every public
// route's service and callers, and the internal APIs every `/internal/*` route. Both are compared
// with the routes the services actually mounted (read from their Express routers after the
// platform starts), so a route added on one side only fails here.

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
}, 120_000);
afterAll(async () => {
  await platform?.close();
});

/** What a service serves outside the API: health, readiness, metrics. */
const operational = new Set(['GET /healthz', 'GET /readyz', 'GET /metrics']);
const internalApis = [authInternalApi, merchantsInternalApi, paymentsInternalApi];

function mounted(): Map<string, string[]> {
  const byService = new Map<string, string[]>();
  for (const { service, routes } of builtServiceRoutes()) {
    const lines = routes
      .map((route) => `${route.method} ${route.path}`)
      .filter((line) => !operational.has(line));
    byService.set(service, [...(byService.get(service) ?? []), ...lines]);
  }
  return byService;
}

describe('the route registry is the set of routes the services mount', () => {
  it('when the platform starts, then every public route a service mounts is in the registry under that service, and every registry route is mounted', () => {
    const services = mounted();
    expect([...services.keys()].sort()).toEqual(['auth', 'merchants', 'payments', 'webhooks']);
    for (const [service, lines] of services) {
      const actual = lines.filter((line) => !line.includes(' /internal/')).sort();
      const registered = publicRoutes
        .filter((route) => route.service === service)
        .map((route) => `${route.method} ${route.path}`)
        .sort();
      expect({ service, routes: actual }).toEqual({ service, routes: registered });
    }
  });

  it('when the platform starts, then every internal route a service mounts is in its internal API contract, and the other way', () => {
    for (const [service, lines] of mounted()) {
      const actual = lines.filter((line) => line.includes(' /internal/')).sort();
      const contracted = internalApis
        .flatMap((api) => Object.values(api))
        .filter((route) => route.service === service)
        .map((route) => `${route.method} ${route.path}`)
        .sort();
      expect({ service, routes: actual }).toEqual({ service, routes: contracted });
    }
  });

  it('when a route is registered twice, then that is a mistake: each method and path appears once', () => {
    const lines = publicRoutes.map((route) => `${route.method} ${route.path}`);
    expect(lines.length).toBe(new Set(lines).size);
  });
});
