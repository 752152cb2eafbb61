// /wallet: the page lives in its feature; this file is the route's lazy chunk.
export { WalletPage } from '../../features/wallet/wallet-page';
