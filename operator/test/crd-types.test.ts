import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { crdsToTypeScript, type CustomResourceDefinition } from '../scripts/crd-to-typescript.js';
import { crdTypesPath, renderCrdTypes } from '../scripts/generate-crd-types.js';

describe('generated CRD types', () => {
  it('when the CRD YAML changes, then the committed api/v1alpha1/types.ts must be regenerated', async () => {
    const committed = await readFile(crdTypesPath, 'utf8');

    const rendered = await renderCrdTypes();

    expect(
      rendered === committed,
      'src/api/v1alpha1/types.ts is out of date: run npm run generate-crd-types -w @expe/operator',
    ).toBe(true);
  });

  it('when a schema has enums, required and optional fields and nested lists, then the types follow them', () => {
    const crd: CustomResourceDefinition = {
      spec: {
        group: 'example.dev',
        scope: 'Namespaced',
        names: { kind: 'Widget', plural: 'widgets' },
        versions: [
          {
            name: 'v1',
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                required: ['spec'],
                properties: {
                  spec: {
                    type: 'object',
                    required: ['size'],
                    properties: {
                      size: { type: 'string', enum: ['small', 'large'] },
                      count: { type: 'integer', minimum: 1, description: 'How many.' },
                      parts: {
                        type: 'array',
                        items: {
                          type: 'object',
                          required: ['name'],
                          properties: { name: { type: 'string', maxLength: 10 } },
                        },
                      },
                      labels: { type: 'object', additionalProperties: { type: 'string' } },
                    },
                  },
                },
              },
            },
          },
        ],
      },
    };

    const source = crdsToTypeScript([crd], '// header');

    expect(source).toContain("size: 'small' | 'large';".replace(/'/g, '"'));
    expect(source).toMatch(/\* How many\.\n\s+\* minimum 1\n\s+\*\/\n\s+count\?: number;/);
    expect(source).toContain('parts?: WidgetSpecPart[];');
    expect(source).toContain(
      'export interface WidgetSpecPart {\n  /**\n   * at most 10 characters\n   */\n  name: string;',
    );
    expect(source).toContain('labels?: Record<string, string>;');
    expect(source).toContain('apiVersion: "example.dev/v1";');
    expect(source).toContain('export interface WidgetList {');
  });
});
