export * from './auth.js';
export * from './common.js';
export * from './errors.js';
export * from './merchants.js';
export * from './money.js';
export * from './openapi.js';
export * from './payments.js';
export * from './wallet.js';
export { z } from './zod.js';
