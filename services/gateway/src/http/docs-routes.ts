import express, { type Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import { buildOpenApiDocument } from '@expe/contracts/openapi';

/** `/openapi.json` (generated from the contracts' zod schemas) and `/docs` (Swagger UI). */
export function docsRouter(): Router {
  const document = buildOpenApiDocument();
  const router = express.Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.use(
    '/docs',
    swaggerUi.serve,
    swaggerUi.setup(undefined, {
      customSiteTitle: 'Expe API reference',
      swaggerOptions: { url: '/openapi.json' },
    }),
  );
  return router;
}
