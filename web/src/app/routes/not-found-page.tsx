// *: any path the app does not know.
export { NotFoundPage } from '../../features/landing/not-found-page';
