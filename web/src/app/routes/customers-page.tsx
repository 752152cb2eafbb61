// /customers: the page lives in its feature; this file is the route's lazy chunk.
export { CustomersPage } from '../../features/customers/customers-page';
