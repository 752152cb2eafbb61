import { z } from 'zod';
import { addOpenApiMethod } from '#zod-openapi';

// Every contract module imports `z` from here so that `.openapi()` is always available. On a
// server it records the metadata the generator reads; in a browser (package.json "imports",
// condition "browser") it is a no-op, so the browser never loads the generator's package.
// Only `ZodType` is passed: handing over the whole `z` namespace would keep all of zod (every
// locale) in the browser bundle.
addOpenApiMethod(z.ZodType);

export { z };
