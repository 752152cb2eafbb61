import { lazy } from 'react';

/**
 * The sign-in form, downloaded when first shown: it brings the contracts' zod schemas, which a
 * page that only may show it (the hosted checkout's wallet tab, signed out) must not load first.
 */
export const LazySignInForm = lazy(() =>
  import('./components/sign-in-form').then((module) => ({ default: module.SignInForm })),
);
