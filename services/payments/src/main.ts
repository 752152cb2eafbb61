import { runMain } from '@expe/server-kit';
import { startPayments } from './app.js';
import { loadPaymentsConfig } from './config.js';

// async, so that an invalid configuration becomes a rejection runMain reports by variable name.
runMain('payments', async () => startPayments(loadPaymentsConfig()));
