// /balance: the page lives in its feature; this file is the route's lazy chunk.
export { BalancePage } from '../../features/balance/balance-page';
