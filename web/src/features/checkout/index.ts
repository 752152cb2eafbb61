// The public entry of the checkout feature: the hosted checkout, which a payment link's page
// shows once it has started the link's payment.
export { Checkout } from './checkout';
