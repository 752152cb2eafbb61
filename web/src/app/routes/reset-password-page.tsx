// /reset-password: the page lives in its feature; this file is the route's lazy chunk.
export { ResetPasswordPage } from '../../features/auth/reset-password-page';
