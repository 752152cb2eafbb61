import type { Router } from 'express';
import express from 'express';

export type ReadinessCheck = () => Promise<unknown>;

/**
 * `/healthz`: the process is alive. `/readyz`: every dependency answers (PostgreSQL, Redis, …);
 * 503 with the failing ones named otherwise, so a load balancer stops sending traffic.
 */
export function healthRouter(checks: Record<string, ReadinessCheck>, timeoutMs = 2_000): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await withTimeout(check(), timeoutMs);
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, `failing: ${(error as Error).message}`] as const;
        }
      }),
    );
    const isReady = results.every(([, status]) => status === 'ok');
    res.status(isReady ? 200 : 503).json({
      status: isReady ? 'ready' : 'not_ready',
      checks: Object.fromEntries(results),
    });
  });
  return router;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
