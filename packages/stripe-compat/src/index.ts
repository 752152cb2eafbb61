export * from './compat-table.js';
export * from './errors.js';
export * from './events.js';
export * from './ids.js';
export * from './objects.js';
export * from './operations.js';
export * from './params.js';
export * from './test-tokens.js';
