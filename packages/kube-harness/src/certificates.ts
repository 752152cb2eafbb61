import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './commands.js';
import { ToolchainError } from './binaries.js';

export interface ControlPlaneCertificates {
  caCert: string;
  servingCert: string;
  servingKey: string;
  adminCert: string;
  adminKey: string;
  serviceAccountKey: string;
  serviceAccountPublicKey: string;
}

function opensslConfig(serverAddresses: readonly string[], serverNames: readonly string[]) {
  const subjectAltNames = [
    ...['127.0.0.1', ...serverAddresses].map((address) => `IP:${address}`),
    ...[
      'localhost',
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      ...serverNames,
    ].map((name) => `DNS:${name}`),
  ];
  return `
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[serving]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = ${subjectAltNames.join(',')}
[client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
`;
}

export interface CertificateOptions {
  /** More IP addresses the API server is reached at (127.0.0.1 is always included). */
  serverAddresses?: readonly string[];
  /** More DNS names for the API server (kubernetes.default.svc and shorter are included). */
  serverNames?: readonly string[];
}

/**
 * A throwaway CA (valid one day), the API server's serving certificate for 127.0.0.1 (and the
 * given addresses and names), an admin
 * client certificate in `system:masters` and the service-account signing key pair. openssl is
 * part of every Debian install; node:crypto alone cannot issue X.509 certificates.
 */
export async function generateCertificates(
  dir: string,
  options: CertificateOptions = {},
): Promise<ControlPlaneCertificates> {
  const openssl = async (args: string[]) => {
    await run('openssl', args, { cwd: dir }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new ToolchainError('openssl was not found on PATH (apt-get install openssl)');
      }
      throw error;
    });
  };
  const config = join(dir, 'openssl.cnf');
  await writeFile(config, opensslConfig(options.serverAddresses ?? [], options.serverNames ?? []));
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

  await openssl([
    'req',
    '-x509',
    ...ecKey,
    '-config',
    config,
    '-extensions',
    'ca',
    '-days',
    '1',
    '-subj',
    '/CN=expe-harness-ca',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  ]);

  const issue = async (name: string, subject: string, extensions: string) => {
    await openssl([
      'req',
      '-new',
      ...ecKey,
      '-config',
      config,
      '-subj',
      subject,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
    ]);
    await openssl([
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      config,
      '-extensions',
      extensions,
      '-out',
      `${name}.crt`,
    ]);
  };
  await issue('serving', '/CN=kube-apiserver', 'serving');
  await issue('admin', '/O=system:masters/CN=expe-admin', 'client');

  await openssl([
    'genpkey',
    '-algorithm',
    'RSA',
    '-pkeyopt',
    'rsa_keygen_bits:2048',
    '-out',
    'service-account.key',
  ]);
  await openssl(['pkey', '-in', 'service-account.key', '-pubout', '-out', 'service-account.pub']);

  const read = (file: string) => readFile(join(dir, file), 'utf8');
  return {
    caCert: await read('ca.crt'),
    servingCert: await read('serving.crt'),
    servingKey: await read('serving.key'),
    adminCert: await read('admin.crt'),
    adminKey: await read('admin.key'),
    serviceAccountKey: join(dir, 'service-account.key'),
    serviceAccountPublicKey: join(dir, 'service-account.pub'),
  };
}
