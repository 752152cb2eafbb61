// /dashboard: the page lives in its feature; this file is the route's lazy chunk.
export { DashboardPage } from '../../features/payments/dashboard-page';
