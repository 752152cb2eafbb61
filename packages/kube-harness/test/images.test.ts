import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chartsDirectory, repositoryRoot } from '../src/index.js';

/**
 * No container engine runs on the build machines, so the Dockerfile is checked by reading it:
 * every image the charts and the Tiltfile name must be a build target of it.
 */
async function dockerfileTargets(): Promise<Map<string, string>> {
  const dockerfile = await readFile(join(repositoryRoot, 'Dockerfile'), 'utf8');
  const stages = new Map<string, string>();
  let current: string | undefined;
  for (const line of dockerfile.split('\n')) {
    const from = /^FROM\s+\S+\s+AS\s+(\S+)/i.exec(line);
    if (from) {
      current = from[1]!.toLowerCase();
      stages.set(current, '');
    } else if (current) {
      stages.set(current, `${stages.get(current)}${line}\n`);
    }
  }
  return stages;
}

async function chartImageRepositories(): Promise<string[]> {
  const repositories: string[] = [];
  for (const chart of await readdir(chartsDirectory)) {
    const values = await readFile(join(chartsDirectory, chart, 'values.yaml'), 'utf8').catch(
      () => '',
    );
    for (const match of values.matchAll(/^\s+repository:\s+(expe-[a-z-]+)\s*$/gm)) {
      repositories.push(match[1]!);
    }
  }
  return repositories;
}

describe('Dockerfile targets', () => {
  it('when a chart names an image expe-<name>, then the Dockerfile has a target <name>', async () => {
    const targets = await dockerfileTargets();
    const repositories = await chartImageRepositories();

    expect(repositories.sort()).toEqual([
      'expe-auth',
      'expe-gateway',
      'expe-merchants',
      'expe-operator',
      'expe-payments',
      'expe-web',
      'expe-webhooks',
    ]);
    for (const repository of repositories) {
      expect(targets.has(repository.replace(/^expe-/, '')), `no target for ${repository}`).toBe(
        true,
      );
    }
  });

  it('when the Tiltfile builds an image, then its target exists and the image is one the charts deploy', async () => {
    const tiltfile = await readFile(join(repositoryRoot, 'Tiltfile'), 'utf8');
    const targets = await dockerfileTargets();
    const repositories = await chartImageRepositories();

    const tiltTargets = [...tiltfile.matchAll(/target='([a-z-]+)'/g)].map((match) => match[1]!);
    expect(tiltTargets.length).toBeGreaterThan(0);
    for (const target of tiltTargets) expect(targets.has(target), `no target ${target}`).toBe(true);

    const services = [...tiltfile.matchAll(/^\s+'([a-z]+)': (\d+),$/gm)].map((match) => match[1]!);
    expect(services).toEqual(['gateway', 'auth', 'merchants', 'payments', 'webhooks']);
    for (const service of [...services, 'web']) {
      expect(repositories).toContain(`expe-${service}`);
    }
  });

  it('when a service target runs, then it starts services/<name>/dist/main.js with the telemetry preload as a non-root user', async () => {
    const targets = await dockerfileTargets();
    const runtime = targets.get('runtime') ?? '';

    expect(runtime).toMatch(/^USER 1000:1000$/m);
    for (const service of ['gateway', 'auth', 'merchants', 'payments', 'webhooks']) {
      expect(targets.get(service)).toContain(
        `CMD ["node", "--import", "@expe/server-kit/instrument", "services/${service}/dist/main.js"]`,
      );
    }
    expect(await readFile(join(repositoryRoot, 'Dockerfile'), 'utf8')).toMatch(
      /^FROM node:22-bookworm-slim|^ARG NODE_IMAGE=node:22-bookworm-slim$/m,
    );
  });

  it('when a service chart listens on a port, then its image exposes the same port', async () => {
    const targets = await dockerfileTargets();

    for (const chart of ['gateway', 'auth', 'merchants', 'payments', 'webhooks', 'web']) {
      const values = await readFile(join(chartsDirectory, chart, 'values.yaml'), 'utf8');
      const port = /^port: (\d+)$/m.exec(values)?.[1];
      expect(targets.get(chart), chart).toContain(`EXPOSE ${port}`);
    }
  });
});
