// The hosted receipt's own entry (receipt.html, served by the gateway for /receipts/*): a payer
// downloads the receipt and nothing of the console or the checkout. The token rides in the
// fragment, which the browser never sends to a server.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ReceiptPage } from './features/receipts/receipt-page';
import './styles.css';

const chargeId = /^\/receipts\/(ch_[0-9a-z]{10,40})\/?$/.exec(window.location.pathname)?.[1] ?? '';
const token = decodeURIComponent(window.location.hash.replace(/^#/, ''));

const root = document.getElementById('root');
if (!root) throw new Error('receipt.html has no #root');
createRoot(root).render(
  <StrictMode>
    <ReceiptPage chargeId={chargeId} token={token} />
  </StrictMode>,
);
