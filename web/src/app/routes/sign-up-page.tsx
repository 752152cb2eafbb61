// /signup: the page lives in its feature; this file is the route's lazy chunk.
export { SignUpPage } from '../../features/auth/sign-up-page';
