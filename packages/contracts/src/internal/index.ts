export * from './auth.js';
export * from './merchants.js';
export * from './payments.js';
export * from './route.js';
