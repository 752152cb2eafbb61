// /forgot-password: the page lives in its feature; this file is the route's lazy chunk.
export { ForgotPasswordPage } from '../../features/auth/forgot-password-page';
