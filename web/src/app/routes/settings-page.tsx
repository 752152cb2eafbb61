// /settings: the page lives in its feature; this file is the route's lazy chunk.
export { SettingsPage } from '../../features/auth/settings-page';
