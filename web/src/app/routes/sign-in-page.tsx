// /signin: the page lives in its feature; this file is the route's lazy chunk.
export { SignInPage } from '../../features/auth/sign-in-page';
