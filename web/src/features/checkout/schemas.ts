// The contract schemas the checkout's forms validate with, as one module the forms load on
// demand (load-schemas.ts). Not `import('@expe/contracts')`: a chunk exporting the package's
// `z` namespace would carry all of zod, every locale included.
export { cardInputSchema, vpaSchema } from '@expe/contracts';
