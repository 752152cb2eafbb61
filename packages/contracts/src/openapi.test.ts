import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './openapi.js';
import { publicRoutes } from './route-registry.js';

const committed = JSON.parse(
  readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'),
) as unknown;

describe('OpenAPI document', () => {
  it('when generated, then it is valid OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(buildOpenApiDocument()) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(validator.version).toBe('3.1');
  });

  it('when the schemas change, then the committed openapi.json must be regenerated (npm run openapi)', () => {
    expect(buildOpenApiDocument()).toEqual(committed);
  });

  it('when the API docs call the API, then they use the host that served them (relative server URL)', () => {
    const { servers } = buildOpenApiDocument();

    expect(servers?.map((server) => server.url)).toEqual(['/']);
  });

  it('documents every public route of the route registry', () => {
    const paths = buildOpenApiDocument().paths ?? {};
    const documented = Object.entries(paths).flatMap(([path, item]) =>
      Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    // The registry names path parameters Express's way (`:id`), the document OpenAPI's (`{id}`).
    const registered = publicRoutes.map(
      (route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`,
    );
    expect(registered.length).toBeGreaterThan(0);
    expect(documented).toEqual(expect.arrayContaining(registered));
  });
});
