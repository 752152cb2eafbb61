import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';

/** Server side: the real `.openapi()` of zod-to-openapi, whose metadata the generator reads. */
export function addOpenApiMethod(zodType: typeof z.ZodType): void {
  // zod-to-openapi reads nothing but `ZodType` from the namespace it is given.
  extendZodWithOpenApi({ ZodType: zodType } as unknown as typeof z);
}
