// /developers/simulator: the page lives in its feature; this file is the route's lazy chunk.
export { SimulatorPage } from '../../features/payments/simulator-page';
