import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './openapi.js';

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

  it('lists every public route of the foundation', () => {
    const paths = buildOpenApiDocument().paths ?? {};
    const routes = Object.entries(paths).flatMap(([path, item]) =>
      Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /v1/auth/register',
        'POST /v1/auth/login',
        'POST /v1/auth/refresh',
        'POST /v1/auth/logout',
        'POST /v1/auth/verify-email',
        'POST /v1/auth/password-reset/request',
        'POST /v1/auth/password-reset/confirm',
        'GET /v1/auth/me',
        'GET /v1/dev/mailbox',
        'GET /v1/merchants/me',
        'POST /v1/projects',
        'GET /v1/projects',
        'GET /v1/projects/{id}',
        'POST /v1/projects/{id}',
        'DELETE /v1/projects/{id}',
        'POST /v1/projects/{id}/api_keys',
        'GET /v1/projects/{id}/api_keys',
        'DELETE /v1/projects/{id}/api_keys/{key_id}',
        'POST /v1/projects/{id}/api_keys/{key_id}/roll',
        'GET /v1/account',
        'GET /v1/request_logs',
      ]),
    );
  });
});
