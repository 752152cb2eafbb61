// The public entry of the auth feature: signing in from the hosted checkout to pay by wallet
// (the form is loaded on demand: the checkout has a gzip budget).
export { login } from './api';
export { LazySignInForm } from './lazy-sign-in-form';
