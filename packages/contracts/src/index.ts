export * from './auth.js';
export * from './common.js';
export * from './errors.js';
export * from './merchants.js';
export * from './openapi.js';
export { z } from './zod.js';
