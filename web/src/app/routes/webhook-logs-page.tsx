// /webhooks/logs: the page lives in its feature; this file is the route's lazy chunk.
export { WebhookLogsPage } from '../../features/webhooks/webhook-logs-page';
