/**
 * Turns the structural OpenAPI v3 schemas of CustomResourceDefinitions into TypeScript types.
 * Structural schemas are a small, closed subset of JSON Schema (every node typed, no $ref, no
 * oneOf of types), so a direct walk gives exact types and documentation comments; a general
 * JSON-Schema compiler would need the same preprocessing for the `x-kubernetes-*` extensions.
 */

export interface StructuralSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, StructuralSchema>;
  required?: string[];
  items?: StructuralSchema;
  additionalProperties?: StructuralSchema | boolean;
  enum?: unknown[];
  default?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-validations'?: { rule: string; message?: string }[];
}

export interface CustomResourceDefinition {
  spec: {
    group: string;
    names: { kind: string; plural: string; listKind?: string; shortNames?: string[] };
    scope: string;
    versions: {
      name: string;
      storage?: boolean;
      schema?: { openAPIV3Schema?: StructuralSchema };
    }[];
  };
}

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/** `projects` → `Project`, `apiKeys` → `ApiKey`, `conditions` → `Condition`. */
const singular = (name: string) => pascal(name.endsWith('s') ? name.slice(0, -1) : name);

function range(min: number | undefined, max: number | undefined, unit: string) {
  if (min !== undefined && max !== undefined) return `${min}–${max} ${unit}`;
  if (max !== undefined) return `at most ${max} ${unit}`;
  if (min !== undefined) return `at least ${min} ${unit}`;
  return undefined;
}

function docComment(schema: StructuralSchema, indent: string): string[] {
  const lines: string[] = [];
  if (schema.description) lines.push(...schema.description.trim().split('\n'));
  const facts: string[] = [];
  if (schema.format) facts.push(`format ${schema.format}`);
  const length = range(schema.minLength, schema.maxLength, 'characters');
  if (length) facts.push(length);
  const items = range(schema.minItems, schema.maxItems, 'items');
  if (items) facts.push(items);
  if (schema.minimum !== undefined) facts.push(`minimum ${schema.minimum}`);
  if (schema.maximum !== undefined) facts.push(`maximum ${schema.maximum}`);
  if (schema.pattern) facts.push(`pattern \`${schema.pattern}\``);
  if (facts.length > 0) lines.push(facts.join('; '));
  for (const validation of schema['x-kubernetes-validations'] ?? []) {
    lines.push(`Rule: ${validation.message ?? validation.rule}`);
  }
  if (schema.default !== undefined) lines.push(`@default ${JSON.stringify(schema.default)}`);
  if (lines.length === 0) return [];
  return [
    `${indent}/**`,
    ...lines.map((line) => `${indent} * ${line.replace(/\*\//g, '*\\/')}`),
    `${indent} */`,
  ];
}

class Emitter {
  readonly declarations: string[] = [];

  /** The TypeScript type of `schema`; objects become named interfaces. */
  typeOf(schema: StructuralSchema, name: string): string {
    if (schema['x-kubernetes-int-or-string']) return 'number | string';
    if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
    switch (schema.type) {
      case 'string':
        return 'string';
      case 'integer':
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'array': {
        const item = this.typeOf(schema.items ?? {}, name);
        return item.includes(' ') ? `(${item})[]` : `${item}[]`;
      }
      case 'object':
        if (schema.properties) return this.interfaceOf(schema, name);
        if (typeof schema.additionalProperties === 'object') {
          return `Record<string, ${this.typeOf(schema.additionalProperties, `${name}Value`)}>`;
        }
        return 'Record<string, unknown>';
      default:
        return 'unknown';
    }
  }

  /** `overrides` replace a property's type and whether it is required (apiVersion, kind, …). */
  interfaceOf(
    schema: StructuralSchema,
    name: string,
    overrides: Record<string, { type: string; required: boolean }> = {},
  ): string {
    const required = new Set(schema.required ?? []);
    for (const [property, override] of Object.entries(overrides)) {
      if (override.required) required.add(property);
    }
    const members: string[] = [];
    for (const [property, child] of Object.entries(schema.properties ?? {})) {
      const childName = `${name}${child.type === 'array' ? singular(property) : pascal(property)}`;
      const type = overrides[property]?.type ?? this.typeOf(child, childName);
      members.push(...docComment(child, '  '));
      members.push(`  ${property}${required.has(property) ? '' : '?'}: ${type};`);
    }
    this.declarations.push(
      [...docComment(schema, ''), `export interface ${name} {`, ...members, '}'].join('\n'),
    );
    return name;
  }
}

const objectMeta = `/** The fields of metav1.ObjectMeta that clients read and write, in their JSON form. */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: {
    apiVersion: string;
    kind: string;
    name: string;
    uid: string;
    controller?: boolean;
    blockOwnerDeletion?: boolean;
  }[];
}`;

/** TypeScript source for the storage version of each CRD (before formatting). */
export function crdsToTypeScript(crds: CustomResourceDefinition[], header: string): string {
  const sections: string[] = [header, objectMeta];
  const resources: string[] = [];
  for (const crd of crds) {
    const { group, names } = crd.spec;
    const version = crd.spec.versions.find((v) => v.storage) ?? crd.spec.versions[0];
    const schema = version?.schema?.openAPIV3Schema;
    if (!version || !schema) throw new Error(`CRD ${names.plural}.${group} has no schema`);
    const apiVersion = `${group}/${version.name}`;
    const emitter = new Emitter();
    emitter.interfaceOf(schema, names.kind, {
      apiVersion: { type: JSON.stringify(apiVersion), required: true },
      kind: { type: JSON.stringify(names.kind), required: true },
      metadata: { type: 'ObjectMeta', required: false },
    });
    sections.push(...emitter.declarations);
    const listKind = names.listKind ?? `${names.kind}List`;
    sections.push(
      `export interface ${listKind} {\n  apiVersion: ${JSON.stringify(apiVersion)};\n  kind: ${JSON.stringify(listKind)};\n  metadata?: { resourceVersion?: string; continue?: string };\n  items: ${names.kind}[];\n}`,
    );
    const key = names.kind.charAt(0).toLowerCase() + names.kind.slice(1);
    resources.push(
      `  ${key}: { group: ${JSON.stringify(group)}, version: ${JSON.stringify(version.name)}, plural: ${JSON.stringify(names.plural)}, kind: ${JSON.stringify(names.kind)}, apiVersion: ${JSON.stringify(apiVersion)}, namespaced: ${crd.spec.scope === 'Namespaced'} },`,
    );
  }
  sections.push(
    `/** Group, version and plural of each custom resource, for API paths and clients. */\nexport const expeResources = {\n${resources.join('\n')}\n} as const;`,
  );
  return `${sections.join('\n\n')}\n`;
}
