import { publicRoutes } from '@expe/contracts';
import { describe, expect, it } from 'vitest';
import { upstreamFor } from '../src/http/routes-table.js';

// The gateway's routing table is derived from the contracts' route registry: every registered
// route is forwarded to the service that owns it, whatever ids its path holds.

const sampleId = 'xyz_01kb3v4y7m9q2x8c5d6e7f8g9h';
const concrete = (path: string) => path.replace(/:[A-Za-z_]+/g, sampleId);

describe('routes table', () => {
  it('when a registered route is requested, then the gateway forwards it to the route’s own service', () => {
    const misrouted = publicRoutes
      .map((route) => ({ route: `${route.method} ${route.path}`, service: route.service }))
      .filter(({ route, service }) => upstreamFor(concrete(route.split(' ')[1] ?? '')) !== service);
    expect(misrouted).toEqual([]);
  });

  it('when a path is under no registered resource, or is internal or operational, then nothing is forwarded', () => {
    for (const path of ['/v1/nothing', '/v2/payments', '/internal/users/usr_1', '/metrics', '/']) {
      expect(upstreamFor(path)).toBeUndefined();
    }
  });

  it('when another service owns a route under a resource, then the longer prefix wins there only', () => {
    expect(upstreamFor('/v1/merchants/me/stats')).toBe('payments');
    expect(upstreamFor('/v1/merchants/me')).toBe('merchants');
    expect(upstreamFor(`/v1/admin/users/${sampleId}/disable`)).toBe('auth');
    expect(upstreamFor('/v1/admin/reconciliation')).toBe('payments');
  });
});
