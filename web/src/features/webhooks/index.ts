// The public entry of the webhooks feature: a payment's deliveries, for its details page.
export { webhookKeys } from './api';
export { PaymentDeliveries } from './components/payment-deliveries';
