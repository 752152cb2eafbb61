import { runMain } from '@expe/server-kit';
import { startMerchants } from './app.js';
import { loadMerchantsConfig } from './config.js';

// async, so that an invalid configuration becomes a rejection runMain reports by variable name.
runMain('merchants', async () => startMerchants(loadMerchantsConfig()));
