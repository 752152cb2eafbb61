import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chartsDirectory } from '@expe/kube-harness';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Schema {
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
}

/**
 * Every field's path under the schema that has no description: what `kubectl explain` would
 * show as an empty line. A list's items and a map's values are described by the field itself;
 * their own fields need descriptions again.
 */
export function undescribedFields(schema: Schema, path: string): string[] {
  const missing: string[] = [];
  const visitChildren = (node: Schema, at: string) => {
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      const childPath = `${at}.${name}`;
      if (!child.description?.trim()) missing.push(childPath);
      visitChildren(child, childPath);
    }
    if (node.items) visitChildren(node.items, `${at}[]`);
    if (typeof node.additionalProperties === 'object') {
      visitChildren(node.additionalProperties, `${at}{}`);
    }
  };
  if (!schema.description?.trim()) missing.push(path);
  visitChildren(
    {
      // The API server publishes apiVersion, kind and metadata with the standard descriptions.
      properties: Object.fromEntries(
        Object.entries(schema.properties ?? {}).filter(
          ([name]) => !['apiVersion', 'kind', 'metadata'].includes(name),
        ),
      ),
    },
    path,
  );
  return missing;
}

const crdDirectory = join(chartsDirectory, 'expe-operator', 'crds');

async function crds() {
  const files = (await readdir(crdDirectory)).filter((file) => file.endsWith('.yaml'));
  return Promise.all(
    files.map(async (file) => {
      const crd = parse(await readFile(join(crdDirectory, file), 'utf8')) as {
        spec: {
          names: { kind: string };
          versions: { name: string; schema: { openAPIV3Schema: Schema } }[];
        };
      };
      return { file, crd };
    }),
  );
}

describe('CRD field descriptions', () => {
  it('when the walker reads a schema, then it names undescribed fields in objects, lists and maps', () => {
    const schema: Schema = {
      description: 'root',
      properties: {
        metadata: {},
        spec: {
          description: 'the spec',
          properties: {
            described: { description: 'yes' },
            bare: {},
            list: { description: 'a list', items: { properties: { inner: {} } } },
            map: { description: 'a map', additionalProperties: { properties: { value: {} } } },
          },
        },
      },
    };

    expect(undescribedFields(schema, 'Widget')).toEqual([
      'Widget.spec.bare',
      'Widget.spec.list[].inner',
      'Widget.spec.map{}.value',
    ]);
  });

  it('when kubectl explain shows a CRD, then every field of every version has a description', async () => {
    const all = await crds();
    const missing = all.flatMap(({ crd }) =>
      crd.spec.versions.flatMap((version) =>
        undescribedFields(
          version.schema.openAPIV3Schema,
          `${crd.spec.names.kind}(${version.name})`,
        ),
      ),
    );

    expect(all.map(({ file }) => file).sort()).toEqual([
      'merchants.expe.dev.yaml',
      'sandboxes.expe.dev.yaml',
      'webhookendpoints.expe.dev.yaml',
    ]);
    expect(missing).toEqual([]);
  });
});
