// The OpenAPI generator: server-side only, imported as `@expe/contracts/openapi` (the gateway's
// /openapi.json, `npm run openapi`). The package's main entry never reaches this module, so
// browser bundles do not carry the generator.
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { registerAuthRoutes } from './auth.js';
import { registerBalanceRoutes } from './balance.js';
import { registerChargeRoutes } from './charges.js';
import { registerCheckoutRoutes } from './checkout.js';
import { registerInstrumentRoutes } from './customers.js';
import { registerMerchantRoutes } from './merchants.js';
import { registerPaymentRoutes } from './payments.js';
import { registerRequestLogRoutes } from './request-logs.js';
import { registerSetupIntentRoutes } from './setup-intents.js';
import { registerTestHelperRoutes } from './test-helpers.js';
import { registerWalletRoutes } from './wallet.js';
import { registerWebhookRoutes } from './webhooks.js';
import { errorObjectSchema } from './common.js';

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
  registerChargeRoutes(registry);
  registerRequestLogRoutes(registry);
  registerBalanceRoutes(registry);
  registerInstrumentRoutes(registry);
  registerSetupIntentRoutes(registry);
  registerCheckoutRoutes(registry);
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
