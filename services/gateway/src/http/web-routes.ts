import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type Router } from 'express';
import { AppError } from '@expe/server-kit';

const apiPaths = /^\/(v1|docs|openapi\.json|metrics|healthz|readyz)(\/|$)/;
/** The hosted checkout: its own small entry (web/checkout.html), without the merchant console. */
const checkoutPaths = /^\/pay\//;
/** The hosted receipt of a charge: its own entry too (web/receipt.html). */
const receiptPaths = /^\/receipts\//;

/**
 * Serves the built web app from the same origin as the API (so the refresh cookie and the
 * WebSocket need no CORS): hashed assets are cached for a year, every other GET that is not
 * an API path gets index.html and the client-side router takes over; `/pay/…` gets
 * checkout.html, the checkout's own entry, so a merchant's customer never downloads the console;
 * `/receipts/…` gets receipt.html, the receipt's.
 */
export function webAppRouter(
  distDir: string,
  options: {
    /**
     * The build writes source maps (`*.map`, the app's original sources) for development and
     * error reporting; production does not publish them (NODE_ENV=production: 404).
     */
    serveSourceMaps?: boolean;
  } = {},
): Router {
  const root = resolve(distDir);
  const indexHtml = join(root, 'index.html');
  const checkoutHtml = join(root, 'checkout.html');
  const hasCheckout = existsSync(checkoutHtml);
  const receiptHtml = join(root, 'receipt.html');
  const hasReceipt = existsSync(receiptHtml);
  const router = express.Router();
  if (!existsSync(indexHtml)) return router;
  if (options.serveSourceMaps === false) {
    router.use((req, _res, next) => {
      if (!/\.map$/i.test(req.path)) return next();
      throw AppError.of('route_not_found', `Unrecognized request URL (${req.method}: ${req.path})`);
    });
  }
  router.use(
    '/assets',
    express.static(join(root, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }),
  );
  router.use(express.static(root, { index: false, maxAge: '1h' }));
  router.get(/.*/, (req, res, next) => {
    if (apiPaths.test(req.path) || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    if (hasReceipt && receiptPaths.test(req.path)) return res.sendFile(receiptHtml);
    res.sendFile(hasCheckout && checkoutPaths.test(req.path) ? checkoutHtml : indexHtml);
  });
  return router;
}
