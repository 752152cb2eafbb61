// /developers: the page lives in its feature; this file is the route's lazy chunk.
export { DevelopersPage } from '../../features/merchants/developers-page';
