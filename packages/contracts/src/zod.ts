import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Every contract module imports `z` from here so that `.openapi()` is always available.
extendZodWithOpenApi(z);

export { z };
