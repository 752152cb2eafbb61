import express, { type Router } from 'express';
import { requireUser } from '@expe/server-kit';
import type { PaymentsContext } from '../../shared/domain/context.js';
import { reconcileLedger } from '../domain/reconcile-ledger.js';

export function adminRoutes(ctx: PaymentsContext): Router {
  const router = express.Router();

  /** 200 with `ok: false` and the mismatches when the ledger is off: the report is the answer. */
  router.get('/v1/admin/reconciliation', async (_req, res) => {
    requireUser(res, ['admin']);
    const report = await reconcileLedger(ctx.db);
    ctx.metrics.reconciliationFinished(report);
    if (!report.ok)
      ctx.logger.error({ checks: report.checks.filter((c) => !c.ok) }, 'ledger mismatch');
    res.setHeader('Cache-Control', 'no-store');
    res.json(report);
  });

  return router;
}
