import { afterAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { clusterNetwork, run } from '@expe/kube-harness';
import { cluster, kubectlJson, waitFor } from './support.js';

/**
 * What keeps the cluster on this machine: no route out of the node's network namespace, no
 * upstream DNS, and kube-proxy's rules only inside the namespace.
 */
const images = inject('clusterImages');
const checkNamespace = 'expe-isolation-check';

afterAll(async () => {
  const { kubectl } = await cluster();
  await kubectl(['delete', 'namespace', checkNamespace, '--ignore-not-found', '--wait=false']);
});

const inNode = (command: string[]) =>
  run('nsenter', [`--net=/run/netns/${clusterNetwork.namespace}`, '--', ...command]);

describe('the node stays on this machine', () => {
  it('when the node routes a packet, then only the Pod bridge and the /30 veth to the host exist, with no default route', async () => {
    const routes = (await inNode(['ip', '-4', 'route', 'show'])).stdout;
    const links = JSON.parse((await inNode(['ip', '-j', 'link', 'show'])).stdout) as {
      ifname: string;
      master?: string;
      link_type: string;
    }[];

    expect(routes).not.toMatch(/^default/m);
    expect(routes.trim().split('\n').sort()).toEqual(
      [
        expect.stringMatching(/^10\.244\.0\.0\/24 dev cni0 /),
        expect.stringMatching(/^10\.255\.255\.0\/30 dev eth0 /),
      ].sort(),
    );
    // Pod veths are ports of the bridge; nothing else leads anywhere.
    const others = links.filter(
      (link) => !['lo', 'cni0', 'eth0'].includes(link.ifname) && link.master !== 'cni0',
    );
    expect(others).toEqual([]);
  });

  it('when kube-proxy programs Services, then its rules exist in the node namespace and not on the host', async () => {
    const host = (await run('iptables-save', [])).stdout;
    const node = (await inNode(['iptables-save'])).stdout;

    expect(node).toContain('KUBE-SERVICES');
    expect(host).not.toContain('KUBE-');
  });

  it('when a Pod resolves names, then cluster names answer and every other name is refused', async () => {
    const { kubectl } = await cluster();
    await kubectl(['create', 'namespace', checkNamespace]);
    const script = `
const dns = require('node:dns').promises;
const fs = require('node:fs');
const outcome = (promise) => promise.then((value) => ({ value }), (error) => ({ error: error.code }));
(async () => {
  const result = {
    resolvConf: fs.readFileSync('/etc/resolv.conf', 'utf8'),
    cluster: await outcome(dns.resolve4('kubernetes.default.svc.cluster.local')),
    outside: await outcome(dns.resolve4('example.com')),
  };
  console.log(JSON.stringify(result));
})();
`;
    await kubectl(['apply', '-n', checkNamespace, '-f', '-'], {
      input: stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'dns-check' },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 1000 },
          containers: [
            {
              name: 'check',
              image: `expe-app:${images.appTag}`,
              imagePullPolicy: 'Never',
              command: ['node', '-e', script],
            },
          ],
        },
      }),
    });
    const phase = await waitFor('the DNS check Pod to finish', async () => {
      const pod = await kubectlJson(['-n', checkNamespace, 'get', 'pod', 'dns-check']);
      return ['Succeeded', 'Failed'].includes(pod.status.phase) ? pod.status.phase : undefined;
    });
    const { stdout } = await kubectl(['-n', checkNamespace, 'logs', 'dns-check']);
    expect(phase, stdout).toBe('Succeeded');
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!);

    expect(result.resolvConf).toMatch(
      new RegExp(`^nameserver ${clusterNetwork.dnsServiceAddress.replaceAll('.', '\\.')}$`, 'm'),
    );
    expect(result.resolvConf.match(/^nameserver /gm)).toHaveLength(1);
    expect(result.cluster).toEqual({ value: [clusterNetwork.apiServiceAddress] });
    expect(result.outside).toEqual({ error: 'EREFUSED' });
  });
});
