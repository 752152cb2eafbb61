// What each schema module needs to describe its routes for the OpenAPI document. Types only from
// the generator's package: the schema modules (and so the browser) never load the generator,
// which lives in openapi.ts (`@expe/contracts/openapi`).
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { errorObjectSchema } from './common.js';
import type { z } from './zod.js';

export type Registry = OpenAPIRegistry;

/** Security requirements the routes refer to by name. */
export const security: Record<'user' | 'secretKey' | 'none', Record<string, string[]>[]> = {
  user: [{ userAuth: [] }],
  secretKey: [{ secretKey: [] }],
  none: [],
};

export const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: errorObjectSchema } },
});

/** Adds the error responses every route shares, so each route lists only its own. */
export function withErrors(route: RouteConfig): RouteConfig {
  return {
    ...route,
    responses: {
      400: errorResponse('Invalid request: the error names the parameter'),
      ...(route.security && route.security.length > 0
        ? { 401: errorResponse('Missing or invalid credentials') }
        : {}),
      429: errorResponse('Rate limited: see Retry-After'),
      ...route.responses,
    },
  };
}

export function jsonBody<T extends z.ZodType>(schema: T, description = 'Request body') {
  return { description, required: true, content: { 'application/json': { schema } } };
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}
