// /payments: the page lives in its feature; this file is the route's lazy chunk.
export { PaymentsPage } from '../../features/payments/payments-page';
