import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { observabilityToolDirectory, observabilityVersions } from '../src/index.js';

const tools = fileURLToPath(new URL('../tools/', import.meta.url));

describe('the observability tools', () => {
  it('when they are cached, then each has a folder of its own keyed by its version and module', async () => {
    const otelcol = await observabilityToolDirectory('otelcol', '/cache');
    const prometheus = await observabilityToolDirectory('prometheus', '/cache');

    expect(otelcol).toMatch(
      new RegExp(`^/cache/otelcol-${observabilityVersions.otelcol}-[0-9a-f]{12}$`),
    );
    expect(prometheus).toMatch(
      new RegExp(`^/cache/prometheus-${observabilityVersions.prometheus}-[0-9a-f]{12}$`),
    );
    expect(await observabilityToolDirectory('otelcol', '/cache')).toBe(otelcol);
  });

  it('when the collector module is read, then every collector module is at one release (v0.165.0, stable v1.71.0)', async () => {
    const goMod = await readFile(join(tools, 'otelcol', 'go.mod'), 'utf8');
    const collector = [...goMod.matchAll(/^\s*(go\.opentelemetry\.io\/collector\S*)\s+(\S+)/gm)];

    expect(collector.length).toBeGreaterThan(10);
    const offRelease = collector
      .filter(([, , version]) => version !== observabilityVersions.otelcol && version !== 'v1.71.0')
      .map(([, module, version]) => `${module} ${version}`);
    expect(offRelease).toEqual([]);
  });

  it('when the Prometheus module is read, then it builds the pinned release (module v0.316.0 is 3.16.0)', async () => {
    const goMod = await readFile(join(tools, 'prometheus', 'go.mod'), 'utf8');
    expect(goMod).toMatch(/^require github\.com\/prometheus\/prometheus v0\.316\.0$/m);
    expect(observabilityVersions.prometheus).toBe('v3.16.0');
  });
});
