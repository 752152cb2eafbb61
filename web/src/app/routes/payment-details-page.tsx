// /payments/:id: the page lives in its feature; this file is the route's lazy chunk.
export { PaymentDetailsPage } from '../../features/payments/payment-details-page';
