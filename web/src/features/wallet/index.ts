// The public entry of the wallet feature: the payer's wallet, for paying from the checkout.
export { getWallet } from './api';
