/**
 * `node --conditions=@expe/source --import tsx packages/kube-harness/src/cluster-cli.ts <command>`
 *   up         start the one-node cluster (idempotent teardown first); prints the kubeconfig path
 *   down       remove every process, mount, interface, cgroup and file of the cluster
 *   images     build the images (cached) and import them into the running cluster
 *   build-images  build the images that need no Kubernetes tool (cached), with no cluster
 *   dev-image <ref>  the Tiltfile's custom_build: build the dev image (cached) and import it
 *                    into the running cluster as <ref> (Tilt's $EXPECTED_REF)
 *   data-images      the Tiltfile's data-images resource: import the PostgreSQL and Redis images
 *   supervise  (internal) run the node's daemons; started by `up` inside the node's namespaces
 */
import { readFile } from 'node:fs/promises';
import { startCluster, stopCluster, connectCluster } from './cluster/cluster.js';
import { supervise, type SupervisorInput } from './cluster/supervisor.js';
import { importDataImages, importDevImage } from './images/dev-image.js';
import { buildAndImportImages, buildImageArchives } from './images/import-images.js';

const out = (line: string) => process.stdout.write(`${line}\n`);
const log = (line: string) => process.stderr.write(`[cluster] ${line}\n`);

async function main(command: string | undefined, args: string[]): Promise<number> {
  switch (command) {
    case 'up': {
      const cluster = await startCluster({ log });
      out(cluster.kubeconfigPath);
      return 0;
    }
    case 'down':
      await stopCluster({ log });
      log('cluster removed');
      return 0;
    case 'images': {
      const cluster = await connectCluster();
      const images = await buildAndImportImages(cluster, { log });
      out(JSON.stringify(images, null, 2));
      return 0;
    }
    case 'build-images':
      await buildImageArchives({ log });
      return 0;
    case 'dev-image': {
      const ref = args[0];
      if (!ref) {
        process.stderr.write('usage: cluster-cli.ts dev-image <ref>\n');
        return 2;
      }
      out(await importDevImage(await connectCluster(), ref, { log }));
      return 0;
    }
    case 'data-images':
      await importDataImages(await connectCluster(), { log });
      return 0;
    case 'supervise': {
      const input = JSON.parse(await readFile(args[0] ?? '', 'utf8')) as SupervisorInput;
      await supervise(input);
      return 0;
    }
    default:
      process.stderr.write(
        'usage: cluster-cli.ts up | down | images | build-images | dev-image <ref> | data-images\n',
      );
      return 2;
  }
}

main(process.argv[2], process.argv.slice(3)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[cluster] ${String((error as Error).stack ?? error)}\n`);
    process.exit(1);
  },
);
