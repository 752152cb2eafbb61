import { unixSeconds, withTransaction, type Database, type Executor } from '@expe/server-kit';
import {
  balanceTransactionsDifferingFromLedger,
  balancesDifferingFromBalanceTransactions,
  balancesDifferingFromEntries,
  disputesNotDebitedOnce,
  ledgerTotals,
  negativeOrMisconfiguredAccounts,
  objectsOutsideTheirPaymentProject,
  paymentsNotCapturedOnce,
  paymentsWithRefundMismatch,
  projectBalanceSummaries,
  payoutsInconsistentWithStatus,
  unbalancedCurrencies,
  unbalancedTransactions,
  unmatchedLedgerReferences,
} from '../db/reconciliation-repository.js';
import { holdsInconsistentWithPayments } from '../db/hold-reconciliation-repository.js';
import { useReadOnlySnapshot } from '../db/reconciliation-repository.js';

export interface ReconciliationCheck {
  name: string;
  description: string;
  ok: boolean;
  /** Every offending row, with the ids needed to find it. */
  mismatches: Record<string, string | number | null>[];
}

export interface ReconciliationReport {
  object: 'reconciliation';
  ok: boolean;
  checked_at: number;
  totals: Record<string, number>;
  checks: ReconciliationCheck[];
  /**
   * The books of each project (issue 19): per project, mode and currency, its available and
   * pending balance beside the sum of its balance transactions, and whether they agree.
   */
  projects: ProjectBooks[];
}

export interface ProjectBooks {
  project_id: string;
  mode: string;
  currency: string;
  available: number;
  pending: number;
  balance_transactions_available: number;
  balance_transactions_pending: number;
  ok: boolean;
}

const checks: {
  name: string;
  description: string;
  run: (db: Executor) => Promise<Record<string, string | null>[]>;
}[] = [
  {
    name: 'entries_sum_to_zero',
    description: 'all ledger entries of each currency sum to 0',
    run: unbalancedCurrencies,
  },
  {
    name: 'balances_match_entries',
    description:
      "each wallet and project balance account's cached balance equals the sum of its entries (system accounts keep none)",
    run: balancesDifferingFromEntries,
  },
  {
    name: 'no_negative_balances',
    description: 'no wallet or merchant balance is below 0 or allowed to go there',
    run: negativeOrMisconfiguredAccounts,
  },
  {
    name: 'transactions_balanced',
    description: 'every ledger transaction has two or more entries summing to 0 per currency',
    run: unbalancedTransactions,
  },
  {
    name: 'payments_captured_once',
    description:
      'each succeeded payment has exactly one payment ledger transaction giving the merchant (pending or available) and the sandbox fee account together its amount_received; no other payment has one',
    run: paymentsNotCapturedOnce,
  },
  {
    name: 'holds_match_authorizations',
    description:
      "each manual-capture payment's hold was filled once by its authorization (at most its amount), holds its amount_capturable, never more than authorized, and was emptied only by its capture (amount_received) and the release of the rest",
    run: holdsInconsistentWithPayments,
  },
  {
    name: 'refunds_within_captured',
    description: 'amount_refunded is at most the amount and equals the sum of the refunds',
    run: paymentsWithRefundMismatch,
  },
  {
    name: 'balance_transactions_sum_to_balances',
    description:
      'per project, mode and currency, the available (pending) balance equals the sum of the net of its available (pending) balance transactions',
    run: balancesDifferingFromBalanceTransactions,
  },
  {
    name: 'objects_in_their_payment_project',
    description:
      "each refund, dispute and balance transaction of a payment is in the payment's project and mode, and a payment's money moved only its own project's balances",
    run: objectsOutsideTheirPaymentProject,
  },
  {
    name: 'balance_transactions_match_ledger',
    description:
      "each balance transaction's net and fee are what its ledger transaction moved on the merchant's and the fee account; every ledger movement of a merchant balance has exactly one",
    run: balanceTransactionsDifferingFromLedger,
  },
  {
    name: 'disputes_debited_once',
    description:
      'each dispute debited the merchant exactly once by its amount; only a won dispute was re-credited, once',
    run: disputesNotDebitedOnce,
  },
  {
    name: 'payouts_match_status',
    description:
      'each payout took its amount from the available balance once; a failed payout returned it once, a paid one never',
    run: payoutsInconsistentWithStatus,
  },
  {
    name: 'ledger_references_match',
    description:
      'every ledger transaction has its business object, and every refund, transfer and top-up was posted',
    run: unmatchedLedgerReferences,
  },
];

const numericFields = new Set([
  'sum',
  'balance',
  'entries_sum',
  'entries',
  'unbalanced_sum',
  'amount',
  'ledger_transactions',
  'captured',
  'amount_refunded',
  'refunds_sum',
  'balance_transactions_sum',
  'net',
  'merchant_entries',
  'fee',
  'fee_entries',
  'debits',
  'reversals',
  'paid_out',
  'returned',
  'amount_capturable',
  'amount_received',
  'held',
  'authorized',
  'released',
]);

/**
 * Checks every invariant of the ledger and lists each violation with its ids. Used
 * by the admin endpoint and by `npm run reconcile`. The checks read, never repair; they share
 * one snapshot, so money moving meanwhile cannot show up as a false mismatch.
 */
export function reconcileLedger(db: Database): Promise<ReconciliationReport> {
  return withTransaction(db, async (tx) => {
    await useReadOnlySnapshot(tx);
    return runChecks(tx);
  });
}

async function runChecks(db: Executor): Promise<ReconciliationReport> {
  const results: ReconciliationCheck[] = [];
  for (const check of checks) {
    const mismatches = (await check.run(db)).map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([field, value]) => [
          field,
          value !== null && numericFields.has(field) ? Number(value) : value,
        ]),
      ),
    );
    results.push({
      name: check.name,
      description: check.description,
      ok: mismatches.length === 0,
      mismatches,
    });
  }
  const projects = toProjectBooks(await projectBalanceSummaries(db));
  return {
    object: 'reconciliation',
    ok: results.every((check) => check.ok) && projects.every((books) => books.ok),
    checked_at: unixSeconds(new Date()),
    totals: await ledgerTotals(db),
    checks: results,
    projects,
  };
}

/** One entry per project, mode and currency from its available and pending rows. */
function toProjectBooks(rows: Record<string, string | null>[]): ProjectBooks[] {
  const books = new Map<string, ProjectBooks>();
  for (const row of rows) {
    const key = `${row.project_id}/${row.mode}/${row.currency}`;
    const entry = books.get(key) ?? {
      project_id: String(row.project_id),
      mode: String(row.mode),
      currency: String(row.currency),
      available: 0,
      pending: 0,
      balance_transactions_available: 0,
      balance_transactions_pending: 0,
      ok: true,
    };
    const balance = Number(row.balance);
    const sum = Number(row.balance_transactions_sum);
    if (row.status === 'available') {
      entry.available = balance;
      entry.balance_transactions_available = sum;
    } else {
      entry.pending = balance;
      entry.balance_transactions_pending = sum;
    }
    entry.ok = entry.ok && balance === sum;
    books.set(key, entry);
  }
  return [...books.values()];
}
