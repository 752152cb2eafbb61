// The public entry of the payments feature: what other features may use. The hosted checkout
// imports it, and the bundler keeps every module an entry lists for every page that imports the
// entry, so list only what the checkout can afford (e2e/bundle-size.e2e.test.ts): the API calls
// and the sandbox data, never a console component.
export {
  confirmPayment,
  getCheckoutPayment,
  listEvents,
  listPayments,
  paymentKeys,
  type ConfirmBody,
} from './api';
export { formatCardNumber, sandboxCards, sandboxVpas } from './sandbox';
