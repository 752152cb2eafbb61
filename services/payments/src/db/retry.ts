// The kit owns the transaction helper; these names stay so existing imports keep working.
export {
  isRetryableConflict,
  withTransaction as inTransaction,
  type RetryOptions,
  type Transaction,
} from '@expe/server-kit';
