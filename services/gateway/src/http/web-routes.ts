import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type Router } from 'express';

const apiPaths = /^\/(v1|docs|openapi\.json|metrics|healthz|readyz)(\/|$)/;

/**
 * Serves the built web app from the same origin as the API (so the refresh cookie and the
 * WebSocket need no CORS): hashed assets are cached for a year, every other GET that is not
 * an API path gets index.html and the client-side router takes over.
 */
export function webAppRouter(distDir: string): Router {
  const root = resolve(distDir);
  const indexHtml = join(root, 'index.html');
  const router = express.Router();
  if (!existsSync(indexHtml)) return router;
  router.use(
    '/assets',
    express.static(join(root, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }),
  );
  router.use(express.static(root, { index: false, maxAge: '1h' }));
  router.get(/.*/, (req, res, next) => {
    if (apiPaths.test(req.path) || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexHtml);
  });
  return router;
}
