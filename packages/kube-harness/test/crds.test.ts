import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// The CRD types live with the operator's API (operator/src/api/v1alpha1).
import type { Merchant, WebhookEndpoint } from '../../../operator/src/api/v1alpha1/index.js';
import { repositoryRoot, startControlPlane, type ControlPlane } from '../src/index.js';

const coldBuildMs = 45 * 60_000;
const samples = join(repositoryRoot, 'k8s', 'samples');

async function sample<T>(file: string): Promise<T> {
  return parse(await readFile(join(samples, file), 'utf8')) as T;
}

describe('CRDs on a real API server', () => {
  let plane: ControlPlane;
  let namespace = 0;
  const freshNamespace = async () => {
    const name = `crd-test-${++namespace}`;
    await plane.kubectl(['create', 'namespace', name]);
    return name;
  };
  /** kubectl create of one object; resolves to stderr+stdout, rejects with the API's refusal. */
  const create = (ns: string, object: unknown) =>
    plane.kubectl(['create', '-n', ns, '-f', '-'], { input: JSON.stringify(object) });
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );
    expect(error, 'the API server accepted an invalid object').toBeInstanceOf(Error);
    return error?.message ?? '';
  };

  beforeAll(async () => {
    plane = await startControlPlane();
    await plane.installCrds();
  }, coldBuildMs);

  afterAll(async () => {
    await plane?.stop();
  });

  it('when the sample Merchant, WebhookEndpoint and Sandbox are applied, then all are accepted', async () => {
    const ns = await freshNamespace();

    await plane.kubectl(['apply', '-n', ns, '-f', samples]);

    const { stdout } = await plane.kubectl(['get', '-n', ns, 'expe', '-o', 'name']);
    expect(stdout.split('\n').filter(Boolean).sort()).toEqual([
      'merchant.expe.dev/acme',
      'sandbox.expe.dev/ci-sandbox',
      'webhookendpoint.expe.dev/acme-orders',
    ]);
    const endpoint = JSON.parse(
      (await plane.kubectl(['get', '-n', ns, 'whe', 'acme-orders', '-o', 'json'])).stdout,
    ) as WebhookEndpoint;
    expect(endpoint.spec.disabled).toBe(false);
  });

  it('when an API key has an unknown mode, then the Merchant is refused naming the field and the allowed values', async () => {
    const ns = await freshNamespace();
    const merchant = await sample<Merchant>('merchant.yaml');
    merchant.spec.projects![0]!.apiKeys![0]!.mode = 'staging' as 'test';

    const message = await refusal(create(ns, merchant));

    expect(message).toContain('spec.projects[0].apiKeys[0].mode');
    expect(message).toContain('Unsupported value: "staging"');
    expect(message).toMatch(/supported values: "test", "live"/);
  });

  it('when required fields are missing, then the Merchant is refused naming each of them', async () => {
    const ns = await freshNamespace();
    const merchant = {
      apiVersion: 'expe.dev/v1alpha1',
      kind: 'Merchant',
      metadata: { name: 'bare' },
      spec: {},
    };

    const message = await refusal(create(ns, merchant));

    expect(message).toContain('spec.displayName: Required value');
    expect(message).toContain('spec.email: Required value');
  });

  it('when two API keys name the same Secret, then the Merchant is refused', async () => {
    const ns = await freshNamespace();
    const merchant = await sample<Merchant>('merchant.yaml');
    const keys = merchant.spec.projects![0]!.apiKeys!;
    keys[1]!.secretName = keys[0]!.secretName;

    const message = await refusal(create(ns, merchant));

    expect(message).toContain('every API key needs a Secret of its own');
  });

  it('when displayName is blank, then the CEL rule refuses the Merchant', async () => {
    const ns = await freshNamespace();
    const merchant = await sample<Merchant>('merchant.yaml');
    merchant.spec.displayName = '   ';

    const message = await refusal(create(ns, merchant));

    expect(message).toContain('spec.displayName');
    expect(message).toContain('displayName must not be blank');
  });

  it('when the email is malformed, then the Merchant is refused by its format', async () => {
    const ns = await freshNamespace();
    const merchant = await sample<Merchant>('merchant.yaml');
    merchant.spec.email = 'not-an-email';

    const message = await refusal(create(ns, merchant));

    expect(message).toContain('spec.email in body must be of type email');
  });

  it('when a live-mode endpoint has an http URL, then it is refused with the https rule', async () => {
    const ns = await freshNamespace();
    const endpoint = await sample<WebhookEndpoint>('webhook-endpoint.yaml');
    endpoint.spec.mode = 'live';
    endpoint.spec.url = 'http://orders.acme.example/hooks/expe';

    const message = await refusal(create(ns, endpoint));

    expect(message).toContain('spec.url');
    expect(message).toContain('a live-mode webhook URL must use https');
  });

  it('when a test-mode endpoint has an http loopback URL, then it is accepted', async () => {
    const ns = await freshNamespace();
    const endpoint = await sample<WebhookEndpoint>('webhook-endpoint.yaml');
    endpoint.spec.url = 'http://127.0.0.1:9000/hooks';

    await create(ns, endpoint);

    const { stdout } = await plane.kubectl([
      'get',
      '-n',
      ns,
      'whe',
      'acme-orders',
      '-o',
      'jsonpath={.spec.url}',
    ]);
    expect(stdout).toBe('http://127.0.0.1:9000/hooks');
  });

  it('when enabledEvents is empty, malformed or mixes * with names, then the endpoint is refused', async () => {
    const ns = await freshNamespace();
    const endpoint = await sample<WebhookEndpoint>('webhook-endpoint.yaml');

    endpoint.spec.enabledEvents = [];
    expect(await refusal(create(ns, endpoint))).toMatch(
      /spec.enabledEvents.*should have at least 1 items/,
    );
    endpoint.spec.enabledEvents = ['Payment.Succeeded'];
    expect(await refusal(create(ns, endpoint))).toContain('spec.enabledEvents[0]');
    endpoint.spec.enabledEvents = ['*', 'payment.succeeded'];
    expect(await refusal(create(ns, endpoint))).toContain('cannot be combined with others');
  });

  it('when the mode of an existing endpoint is changed, then the update is refused as immutable', async () => {
    const ns = await freshNamespace();
    await create(ns, await sample<WebhookEndpoint>('webhook-endpoint.yaml'));

    const message = await refusal(
      plane.kubectl([
        'patch',
        '-n',
        ns,
        'whe',
        'acme-orders',
        '--type=merge',
        '-p',
        '{"spec":{"mode":"live"}}',
      ]),
    );

    expect(message).toContain('mode is immutable');
  });

  it('when the operator writes status, then kubectl get merchants prints Ready and the merchant id', async () => {
    const ns = await freshNamespace();
    await create(ns, await sample<Merchant>('merchant.yaml'));
    const status: Merchant['status'] = {
      merchantId: 'mer_01jtestmerchant',
      observedGeneration: 1,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Reconciled',
          message: 'merchant, projects and keys are in place',
          lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
          observedGeneration: 1,
        },
      ],
    };
    await plane.kubectl([
      'patch',
      '-n',
      ns,
      'merchant',
      'acme',
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({ status }),
    ]);

    const { stdout } = await plane.kubectl(['get', '-n', ns, 'merchants']);

    const [header, row] = stdout.trim().split('\n');
    expect(header?.split(/\s{2,}/)).toEqual(['NAME', 'READY', 'MERCHANT ID', 'AGE']);
    expect(row?.split(/\s{2,}/).slice(0, 3)).toEqual(['acme', 'True', 'mer_01jtestmerchant']);
  });

  it('when status is written through the main resource, then the status subresource keeps it out', async () => {
    const ns = await freshNamespace();
    const merchant = await sample<Merchant>('merchant.yaml');
    await create(ns, { ...merchant, status: { merchantId: 'mer_forged' } });

    const { stdout } = await plane.kubectl([
      'get',
      '-n',
      ns,
      'mch',
      'acme',
      '-o',
      'jsonpath={.status.merchantId}',
    ]);

    expect(stdout).toBe('');
  });

  it('when webhook endpoints are listed, then the URL, mode and Ready columns are printed', async () => {
    const ns = await freshNamespace();
    await create(ns, await sample<WebhookEndpoint>('webhook-endpoint.yaml'));

    const { stdout } = await plane.kubectl(['get', '-n', ns, 'webhookendpoints']);

    const [header, row] = stdout.trim().split('\n');
    expect(header?.split(/\s{2,}/)).toEqual(['NAME', 'URL', 'MODE', 'READY', 'AGE']);
    expect(row?.split(/\s{2,}/).slice(0, 3)).toEqual([
      'acme-orders',
      'https://orders.acme.example/hooks/expe',
      'test',
    ]);
  });
});
