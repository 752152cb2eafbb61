// The public entry of the payments feature: what other features may use. Keep it to modules
// the checkout bundle can afford (it has a gzip budget): the API calls and the sandbox data.
export { getCheckoutPayment } from './api';
export { formatCardNumber, sandboxCards, sandboxVpas } from './sandbox';
