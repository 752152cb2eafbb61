// The ledger's public entry: what the other modules may use of it (lint: expe-boundaries/
// module-public-entry). Posting a balanced movement, and the chart of accounts: the accounts
// money moves between and their balances. Its SQL, refusal codes and repository stay inside.
export {
  InsufficientFundsError,
  postLedgerTransaction,
  prepareLedgerPosting,
  type LedgerPosting,
  type PostedLedgerTransaction,
  type PreparedLedgerPosting,
} from './domain/post-ledger-transaction.js';
export {
  holdAccount,
  merchantAccount,
  merchantPendingAccount,
  sandboxFeesAccount,
  sandboxFundingAccount,
  sandboxPayoutsAccount,
  walletAccount,
  walletCurrency,
  type AccountKey,
} from './domain/chart-of-accounts.js';
export {
  findAccount,
  insertAccountsIfAbsent,
  listAccountsOfOwner,
  type AccountRow,
} from './db/ledger-repository.js';
