// The browser build of `#zod-openapi` (package.json "imports", condition "browser"): the
// metadata only feeds the OpenAPI document, which browsers never build, so `.openapi()` returns
// the schema unchanged and the generator's package stays out of the bundle.
import type {} from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';

export function addOpenApiMethod(zodType: typeof z.ZodType): void {
  const prototype = zodType.prototype as { openapi?: unknown };
  prototype.openapi ??= function openapi(this: unknown) {
    return this;
  };
}
