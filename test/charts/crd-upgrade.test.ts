import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repositoryRoot, startControlPlane, type ControlPlane } from '@expe/kube-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { prepareCharts, type Charts } from './support.js';

// crds.templated: the operator chart's CRDs as release objects, so `helm upgrade` upgrades them
// (Helm installs crds/ once and never again) and `helm uninstall` keeps them. Rendered with
// `helm template`, then installed, upgraded and uninstalled against a real API server (the
// harness's control plane: no kubelet is needed for what Helm does with CRDs).

const crdFolder = join(repositoryRoot, 'charts/expe-operator/crds');
const operatorArgs = ['--set', 'platform.releaseName=expe'];

let charts: Charts;
let plane: ControlPlane;

beforeAll(async () => {
  [charts, plane] = await Promise.all([prepareCharts(), startControlPlane()]);
  await plane.kubectl(['create', 'namespace', 'expe']);
}, 900_000);

afterAll(async () => {
  await Promise.all([charts?.cleanup(), plane?.stop()]);
});

async function crdFiles() {
  const files = (await readdir(crdFolder)).filter((file) => file.endsWith('.yaml'));
  return Promise.all(
    files.map(async (file) => ({
      file,
      crd: parse(await readFile(join(crdFolder, file), 'utf8')),
    })),
  );
}

const helm = (args: string[], options: { allowFailure?: boolean } = {}) =>
  plane.helm(args, { allowFailure: options.allowFailure });
const crdNamed = async (name: string) =>
  JSON.parse((await plane.kubectl(['get', 'crd', name, '-o', 'json'])).stdout);

describe('rendering', () => {
  it('when crds.templated is on, then every file of crds/ renders once, unchanged but for Helm labels and the keep policy', async () => {
    const objects = await charts.render('expe-operator', 'expe-operator', {
      args: [...operatorArgs, '--set', 'crds.templated=true'],
    });
    const rendered = objects.filter((o) => o.kind === 'CustomResourceDefinition');
    const files = await crdFiles();

    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(rendered.map((o) => o.metadata.name).sort()).toEqual(
      files.map((f) => f.crd.metadata.name).sort(),
    );
    for (const { file, crd } of files) {
      const object = rendered.find((o) => o.metadata.name === crd.metadata.name)!;
      expect(object.spec, file).toEqual(crd.spec);
      expect(object.metadata.annotations?.['helm.sh/resource-policy'], file).toBe('keep');
      expect(object.metadata.labels?.['app.kubernetes.io/managed-by'], file).toBe('Helm');
    }
  });

  it('when crds.templated is off (the default) or keep is off, then no CRD is a template, or none carries the keep policy', async () => {
    const off = await charts.render('expe-operator', 'expe-operator', { args: operatorArgs });
    const unkept = await charts.render('expe-operator', 'expe-operator', {
      args: [...operatorArgs, '--set', 'crds.templated=true', '--set', 'crds.keep=false'],
    });

    expect(off.filter((o) => o.kind === 'CustomResourceDefinition')).toEqual([]);
    const crds = unkept.filter((o) => o.kind === 'CustomResourceDefinition');
    expect(crds.length).toBeGreaterThanOrEqual(2);
    for (const crd of crds)
      expect(crd.metadata.annotations?.['helm.sh/resource-policy']).toBeUndefined();
  });
});

describe('install, upgrade, uninstall', () => {
  const chart = () => join(charts.dir, 'expe-operator');
  const templated = [...operatorArgs, '--set', 'crds.templated=true', '--namespace', 'expe'];

  it('when the chart’s CRD changes, then helm upgrade changes it in the cluster, and helm uninstall leaves every CRD and resource in place', async () => {
    await helm(['install', 'expe-operator', chart(), '--skip-crds', ...templated]);
    const merchantsFile = join(chart(), 'crds/merchants.expe.dev.yaml');
    const original = parse(await readFile(merchantsFile, 'utf8'));
    const installed = await crdNamed('merchants.expe.dev');
    expect(installed.metadata.annotations['meta.helm.sh/release-name']).toBe('expe-operator');
    expect(installed.spec.versions[0].additionalPrinterColumns).toEqual(
      original.spec.versions[0].additionalPrinterColumns,
    );

    // A new release of the chart: the CRD gains a printer column.
    const changed = structuredClone(original);
    changed.spec.versions[0].additionalPrinterColumns.push({
      name: 'Email',
      type: 'string',
      jsonPath: '.spec.email',
    });
    await writeFile(merchantsFile, stringify(changed));
    try {
      await helm(['upgrade', 'expe-operator', chart(), ...templated]);
    } finally {
      await writeFile(merchantsFile, stringify(original));
    }
    const upgraded = await crdNamed('merchants.expe.dev');
    expect(upgraded.spec.versions[0].additionalPrinterColumns.map((c: any) => c.name)).toContain(
      'Email',
    );

    await plane.kubectl(['wait', '--for=condition=Established', 'crd/merchants.expe.dev']);
    await plane.kubectl([
      'apply',
      '-n',
      'expe',
      '-f',
      join(repositoryRoot, 'k8s/samples/merchant.yaml'),
    ]);
    const { stdout } = await helm(['uninstall', 'expe-operator', '--namespace', 'expe']);
    expect(stdout).toMatch(/kept due to the resource policy/);

    for (const { crd } of await crdFiles()) {
      expect((await crdNamed(crd.metadata.name)).metadata.name).toBe(crd.metadata.name);
    }
    const merchant = await plane.kubectl(['get', 'merchant', 'acme', '-n', 'expe', '-o', 'name']);
    expect(merchant.stdout.trim()).toBe('merchant.expe.dev/acme');
  });

  it('when a release installed from crds/ switches to templated CRDs, then one upgrade with --take-ownership adopts them into the release, with the keep policy', async () => {
    // A fresh cluster: no CRD yet. The default install creates them from crds/, outside the
    // release.
    const names = (await crdFiles()).map(({ crd }) => `crd/${crd.metadata.name}`);
    await plane.kubectl(['delete', ...names, '--wait=true']);
    await plane.kubectl(['create', 'namespace', 'expe-adopt']);
    const args = [...operatorArgs, '--namespace', 'expe-adopt'];
    await helm(['install', 'adopt-operator', chart(), ...args]);
    const fromCrdsFolder = await crdNamed('merchants.expe.dev');
    expect(fromCrdsFolder.metadata.annotations?.['meta.helm.sh/release-name']).toBeUndefined();

    const refused = await helm(
      ['upgrade', 'adopt-operator', chart(), ...args, '--set', 'crds.templated=true'],
      { allowFailure: true },
    );
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(
      /CustomResourceDefinition "merchants\.expe\.dev".*exists and cannot be imported/,
    );

    await helm([
      'upgrade',
      'adopt-operator',
      chart(),
      ...args,
      '--set',
      'crds.templated=true',
      '--take-ownership',
    ]);
    const adopted = await crdNamed('merchants.expe.dev');
    expect(adopted.metadata.annotations['meta.helm.sh/release-name']).toBe('adopt-operator');
    expect(adopted.metadata.annotations['helm.sh/resource-policy']).toBe('keep');
  });

  it('when crds.templated is installed without --skip-crds, then Helm refuses before creating anything (the docs say to skip crds/)', async () => {
    await plane.kubectl(['create', 'namespace', 'expe-noskip']);
    const result = await helm(
      [
        'install',
        'noskip-operator',
        chart(),
        ...operatorArgs,
        '--set',
        'crds.templated=true',
        '--namespace',
        'expe-noskip',
      ],
      { allowFailure: true },
    );

    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/exists and cannot be imported into the current release/);
    const left = await plane.kubectl(['get', 'deployments', '-n', 'expe-noskip', '-o', 'name']);
    expect(left.stdout.trim()).toBe('');
  });
});
