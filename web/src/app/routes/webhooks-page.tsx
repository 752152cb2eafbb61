// /developers/webhooks: the page lives in its feature; this file is the route's lazy chunk.
export { WebhooksPage } from '../../features/webhooks/webhooks-page';
