import { runMain } from '@expe/server-kit';
import { startWebhooks } from './app.js';
import { loadWebhooksConfig } from './config.js';

// The endpoint API and (unless RUN_WORKER=false) the delivery worker in one process.
// async, so that an invalid configuration becomes a rejection runMain reports by variable name.
runMain('webhooks', async () => startWebhooks(loadWebhooksConfig()));
