import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { errorObjectSchema } from './common.js';
import { registerAuthRoutes } from './auth.js';
import { registerMerchantRoutes } from './merchants.js';
import { registerPaymentRoutes } from './payments.js';
import { registerTestHelperRoutes } from './test-helpers.js';
import { registerWalletRoutes } from './wallet.js';
import { registerWebhookRoutes } from './webhooks.js';
import type { z } from './zod.js';

export type Registry = OpenAPIRegistry;

/** Security requirements the routes refer to by name. */
export const security: Record<'user' | 'secretKey' | 'none', Record<string, string[]>[]> = {
  user: [{ userAuth: [] }],
  secretKey: [{ secretKey: [] }],
  none: [],
};

const errorResponse = (description: string) => ({
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

export { errorResponse };

/** The OpenAPI 3.1 document of the public API, built from the same schemas that validate. */
export function buildOpenApiDocument() {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'userAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Access token from POST /v1/auth/login',
  });
  registry.registerComponent('securitySchemes', 'secretKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'Secret API key: sk_test_… or sk_live_…',
  });
  registry.register('Error', errorObjectSchema);
  registerAuthRoutes(registry);
  registerMerchantRoutes(registry);
  registerPaymentRoutes(registry);
  registerTestHelperRoutes(registry);
  registerWalletRoutes(registry);
  registerWebhookRoutes(registry);
  const generator = new OpenApiGeneratorV31(registry.definitions);
  return generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Expe API',
      version: '1.0.0',
      description:
        'The Expe sandbox payment gateway. Amounts are integers in minor units; ids carry a type prefix; errors are `{error: {type, code, message, param?, request_id}}`.',
    },
    // Relative: "Try it out" on /docs calls the gateway that served the page, on any host/port.
    servers: [{ url: '/', description: 'the gateway serving this document' }],
  });
}
