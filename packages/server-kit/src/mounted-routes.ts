import type { Express, Router } from 'express';

/** One route as Express mounted it: upper-case method and the path pattern (`/v1/payments/:id`). */
export interface MountedRoute {
  method: string;
  path: string;
}

interface Layer {
  handle: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
}

/**
 * Every route an app has mounted, read from Express's own router stacks (nested routers
 * included), in mounting order. What the route-registry test compares with the contracts'
 * registry, so a route added to a service but not to the registry (or the other way) fails.
 */
export function mountedRoutesOf(app: Express): MountedRoute[] {
  return routesOf((app as unknown as { router: Router }).router);
}

function routesOf(router: Router): MountedRoute[] {
  const found: MountedRoute[] = [];
  for (const layer of (router as unknown as { stack: Layer[] }).stack) {
    if (layer.route) {
      const methods = Object.keys(layer.route.methods).filter((method) => method !== '_all');
      for (const method of methods) {
        found.push({ method: method.toUpperCase(), path: String(layer.route.path) });
      }
    } else if (isRouter(layer.handle)) {
      found.push(...routesOf(layer.handle));
    }
  }
  return found;
}

function isRouter(handle: unknown): handle is Router {
  return typeof handle === 'function' && Array.isArray((handle as { stack?: unknown }).stack);
}

const built: { service: string; routes: MountedRoute[] }[] = [];

/** Called by `createServiceApp` for each app it builds: its name and mounted routes. */
export function recordBuiltApp(service: string, app: Express): void {
  built.push({ service, routes: mountedRoutesOf(app) });
}

/** The routes of every app `createServiceApp` built in this process (a test starts the platform). */
export function builtServiceRoutes(): readonly { service: string; routes: MountedRoute[] }[] {
  return built;
}
