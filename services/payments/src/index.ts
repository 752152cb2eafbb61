export {
  createApp,
  createContext,
  migrationsFolder,
  startPayments,
  type PaymentsAppDeps,
} from './app.js';
export { loadPaymentsConfig, paymentsConfigSchema, type PaymentsConfig } from './config.js';
export {
  reconcileLedger,
  type ReconciliationReport,
} from './reconciliation/domain/reconcile-ledger.js';
