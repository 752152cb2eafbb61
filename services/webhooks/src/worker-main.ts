import { runMain } from '@expe/server-kit';
import { startWebhooksWorker } from './app.js';
import { loadWebhooksConfig } from './config.js';

// The delivery worker alone (health and metrics on PORT, no endpoint API), to scale it apart.
runMain('webhooks-worker', async () => startWebhooksWorker(loadWebhooksConfig()));
