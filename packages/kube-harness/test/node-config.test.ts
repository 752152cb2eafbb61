import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { clusterNetwork, clusterPaths, run, writeDockerArchive } from '../src/index.js';
import {
  cniConfig,
  containerdConfig,
  controlPlaneArgs,
  coreDnsManifests,
  kubeProxyConfig,
  kubeletConfig,
} from '../src/cluster/node-config.js';

const paths = clusterPaths('/var/lib/expe-cluster-test');

describe('one-node cluster configuration', () => {
  it('when containerd starts, then its CRI plugin restricts oom_score_adj and keeps Pod netns under its state dir', () => {
    const config = containerdConfig(paths);

    // runc cannot lower oom_score_adj on these VMs: every sandbox fails without the first.
    expect(config).toMatch(/^\s*restrict_oom_score_adj = true$/m);
    expect(config).toMatch(/^\s*netns_mounts_under_state_dir = true$/m);
    expect(config).toContain('snapshotter = "overlayfs"');
    expect(config).toContain(`address = "${paths.containerdSocket}"`);
    expect(config).not.toMatch(/registry\.mirrors|endpoint = /);
  });

  it('when CoreDNS answers, then it serves cluster.local only and forwards nothing', () => {
    const objects = parseAllDocuments(coreDnsManifests()).map((document) => document.toJSON());
    const corefile = objects.find((object) => object.kind === 'ConfigMap').data.Corefile as string;
    const deployment = objects.find((object) => object.kind === 'Deployment');
    const service = objects.find((object) => object.kind === 'Service');

    expect(corefile).toContain(`kubernetes ${clusterNetwork.clusterDomain}`);
    expect(corefile).not.toMatch(/\bforward\b|\bproxy\b/);
    expect(deployment.spec.template.spec.containers[0].imagePullPolicy).toBe('Never');
    expect(service.spec.clusterIP).toBe(clusterNetwork.dnsServiceAddress);
  });

  it('when kube-proxy starts, then it leaves the machine-wide conntrack settings alone', () => {
    const config = parse(kubeProxyConfig(paths));

    expect(Object.values(config.conntrack).every((value) => value === 0 || value === '0s')).toBe(
      true,
    );
    expect(config.clusterCIDR).toBe(clusterNetwork.clusterCidr);
  });

  it('when the kubelet starts, then Pods get the cluster DNS only and imported images are never collected', () => {
    const config = parse(kubeletConfig(paths));

    expect(config.clusterDNS).toEqual([clusterNetwork.dnsServiceAddress]);
    expect(config.resolvConf).toBe(join(paths.config, 'resolv.conf'));
    expect(config.imageGCHighThresholdPercent).toBe(100);
    expect(config.cgroupDriver).toBe('cgroupfs');
  });

  it('when Pods are wired, then one bridge with host-local addresses from the Pod range is used', () => {
    const config = JSON.parse(cniConfig(paths));

    expect(config.plugins.map((plugin: { type: string }) => plugin.type)).toEqual([
      'bridge',
      'portmap',
    ]);
    expect(config.plugins[0].ipam.ranges[0][0].subnet).toBe(clusterNetwork.podCidr);
    expect(config.plugins[0].ipam.dataDir).toBe(paths.cniData);
  });

  it('when the API server reaches a kubelet, then it uses the node IP (the node name resolves nowhere)', () => {
    const args = controlPlaneArgs(paths)['kube-apiserver'];

    expect(args).toContain('--kubelet-preferred-address-types=InternalIP');
    expect(args).toContain(`--advertise-address=${clusterNetwork.nodeAddress}`);
    expect(args).toContain(`--service-cluster-ip-range=${clusterNetwork.serviceCidr}`);
  });
});

describe('docker-archive', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('when two images share a root filesystem, then the archive holds one layer and a config per image', async () => {
    dir = await mkdtemp(join(tmpdir(), 'expe-archive-'));
    const rootfs = join(dir, 'rootfs');
    await mkdir(join(rootfs, 'app'), { recursive: true });
    await writeFile(join(rootfs, 'app', 'main.js'), 'console.log(1)\n');
    const archive = join(dir, 'out', 'images.tar');

    await writeDockerArchive(
      archive,
      [rootfs],
      [
        {
          repoTags: ['expe-gateway:t1'],
          config: { Cmd: ['node', 'gateway.js'], User: '1000:1000' },
        },
        { repoTags: ['expe-auth:t1'], config: { Cmd: ['node', 'auth.js'], User: '1000:1000' } },
      ],
    );

    const extracted = join(dir, 'extracted');
    await mkdir(extracted);
    await run('tar', ['-xf', archive, '-C', extracted]);
    const manifest = JSON.parse(await readFile(join(extracted, 'manifest.json'), 'utf8'));
    expect(manifest.map((entry: { RepoTags: string[] }) => entry.RepoTags)).toEqual([
      ['expe-gateway:t1'],
      ['expe-auth:t1'],
    ]);
    expect(manifest[0].Layers).toEqual(manifest[1].Layers);
    const config = JSON.parse(await readFile(join(extracted, manifest[1].Config), 'utf8'));
    expect(config.config.Cmd).toEqual(['node', 'auth.js']);
    expect(config.rootfs.diff_ids).toHaveLength(1);
    const { stdout } = await run('tar', ['-tf', join(extracted, manifest[0].Layers[0])]);
    expect(stdout.split('\n')).toContain('./app/main.js');
  });
});
