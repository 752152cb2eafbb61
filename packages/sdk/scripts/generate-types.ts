// Writes packages/sdk/src/generated/api-types.ts from packages/contracts/openapi.json: one
// TypeScript type per component schema. The SDK ships these instead of depending on
// @expe/contracts (private, zod at runtime), so `npm pack` of the SDK stands alone.
// Run: node --conditions=@expe/source --import tsx packages/sdk/scripts/generate-types.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  $ref?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  description?: string;
}

const openapiPath = fileURLToPath(new URL('../../contracts/openapi.json', import.meta.url));
export const apiTypesPath = fileURLToPath(
  new URL('../src/generated/api-types.ts', import.meta.url),
);

const literal = (value: unknown) => (value === null ? 'null' : JSON.stringify(value));
const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));

function typeOf(schema: JsonSchema): string {
  if (schema.$ref) return schema.$ref.replace('#/components/schemas/', '');
  if (schema.const !== undefined) return literal(schema.const);
  if (schema.enum) return schema.enum.map(literal).join(' | ');
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return [...new Set(union.map((part) => `(${typeOf(part)})`))].join(' | ');
  if (schema.allOf) return schema.allOf.map((part) => `(${typeOf(part)})`).join(' & ');
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length === 0) return 'unknown';
  return [...new Set(types.map((type) => single(type, schema)))].join(' | ');
}

function single(type: string, schema: JsonSchema): string {
  switch (type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return `Array<${schema.items ? typeOf(schema.items) : 'unknown'}>`;
    case 'object':
      return objectType(schema);
    default:
      return 'unknown';
  }
}

function objectType(schema: JsonSchema): string {
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const doc = property.description
      ? `/** ${property.description.replace(/\*\//g, '* /')} */\n`
      : '';
    return `${doc}${key(name)}${required.has(name) ? '' : '?'}: ${typeOf(property)};`;
  });
  const extra = schema.additionalProperties;
  if (extra && typeof extra === 'object') fields.push(`[key: string]: ${typeOf(extra)};`);
  if (fields.length === 0)
    return extra === false ? 'Record<string, never>' : 'Record<string, unknown>';
  return `{\n${fields.join('\n')}\n}`;
}

/** The generated module's text (formatted as the repository's Prettier config says). */
export async function generateApiTypes(): Promise<string> {
  const document = JSON.parse(readFileSync(openapiPath, 'utf8')) as {
    info: { version: string };
    components: { schemas: Record<string, JsonSchema> };
  };
  const parts = [
    '// Generated from packages/contracts/openapi.json by packages/sdk/scripts/generate-types.ts.',
    '// Do not edit: run `npm run generate-types -w @expe/sdk` (a test fails when it drifts).',
    '// Error codes are an open union (known codes | string) on purpose: new codes may appear.',
    '/* eslint-disable @typescript-eslint/no-redundant-type-constituents */',
    '',
  ];
  for (const [name, schema] of Object.entries(document.components.schemas)) {
    if (schema.description) parts.push(`/** ${schema.description.replace(/\*\//g, '* /')} */`);
    parts.push(`export type ${name} = ${typeOf(schema)};`, '');
  }
  const options = (await resolveConfig(apiTypesPath)) ?? {};
  return format(parts.join('\n'), { ...options, filepath: apiTypesPath });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(apiTypesPath, await generateApiTypes());
}
