// /verify-email: the page lives in its feature; this file is the route's lazy chunk.
export { VerifyEmailPage } from '../../features/auth/verify-email-page';
