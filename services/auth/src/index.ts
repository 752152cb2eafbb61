export { createApp, startAuth, type AuthAppDeps } from './app.js';
export {
  authConfigSchema,
  isCookieSecure,
  isDevMailboxEnabled,
  loadAuthConfig,
  type AuthConfig,
} from './config.js';
export { refreshCookieName } from './http/refresh-cookie.js';
