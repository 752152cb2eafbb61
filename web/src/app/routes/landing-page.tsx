// /: the page lives in its feature; this file is the route's lazy chunk.
export { LandingPage } from '../../features/landing/landing-page';
