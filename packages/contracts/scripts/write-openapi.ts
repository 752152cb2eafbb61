// Writes packages/contracts/openapi.json from the zod schemas (`npm run openapi`).
// The committed copy is checked for drift by openapi.test.ts.
import { writeFileSync } from 'node:fs';
import { buildOpenApiDocument } from '../src/openapi.js';

const target = new URL('../openapi.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
process.stdout.write(`wrote ${target.pathname}\n`);
