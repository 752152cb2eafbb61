// /qr-codes: the page lives in its feature; this file is the route's lazy chunk.
export { QrCodesPage } from '../../features/payments/qr-codes-page';
