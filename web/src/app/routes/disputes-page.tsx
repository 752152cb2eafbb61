// /disputes: the page lives in its feature; this file is the route's lazy chunk.
export { DisputesPage } from '../../features/disputes/disputes-page';
