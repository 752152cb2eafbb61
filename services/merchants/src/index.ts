export { createApp, startMerchants, type MerchantsAppDeps } from './app.js';
export { loadMerchantsConfig, merchantsConfigSchema, type MerchantsConfig } from './config.js';
