export {
  createExpeClient,
  ExpeApiError,
  type CreatedRange,
  type ExpeClient,
  type ExpeClientOptions,
  type ListDeliveriesParams,
  type ListEventsParams,
  type ListParams,
  type ListResponse,
  type RequestOptions,
} from './client.js';
export type * from '@expe/contracts';
export {
  generateWebhookSignatureHeader,
  verifyWebhookSignature,
  WebhookSignatureError,
  type WebhookSignatureFailure,
} from './webhook-signature.js';
