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
  const isAuthenticated = Boolean(route.security && route.security.length > 0);
  return {
    ...route,
    responses: {
      400: errorResponse('Invalid request: the error names the parameter'),
      ...(isAuthenticated
        ? {
            401: errorResponse('Missing or invalid credentials'),
            403: errorResponse(
              'The credentials may not do this (a publishable key on a secret-key route, a person without the role)',
            ),
          }
        : {}),
      // Every id in a path is looked up for the caller: an id that does not exist, or belongs to
      // another merchant or the other mode, is the same 404 (resource_missing).
      ...(route.path.includes('{') ? { 404: errorResponse('No such object for this caller') } : {}),
      // Any request may carry a body, which is read before the route runs: too large after
      // decoding, or in a Content-Encoding the API does not decode.
      ...(route.method !== 'get'
        ? {
            413: errorResponse('The body exceeds the size limit after decoding'),
            415: errorResponse(
              'The Content-Encoding is not identity, gzip, deflate or br (`param` names the header)',
            ),
          }
        : {}),
      429: errorResponse('Rate limited: see Retry-After'),
      503: errorResponse('A service behind the gateway is unavailable: retry after Retry-After'),
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
