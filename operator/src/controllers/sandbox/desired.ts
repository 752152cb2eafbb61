import { randomBytes } from 'node:crypto';
import type { Sandbox } from '../../api/v1alpha1/index.js';

export const sandboxFinalizer = 'expe.dev/sandbox-cleanup';
/**
 * The name of the sandbox's project in Expe, written once before anything else: the project is
 * found again by it after a crash or a restore (a restored Sandbox has a new UID and no status).
 */
export const projectNameAnnotation = 'expe.dev/sandbox-project';
/** On the Secret: the id of the key it holds, to tell a stale Secret from a current one. */
export const keyIdAnnotation = 'expe.dev/key-id';
/** On the Secret: the endpoint id each EXPE_WEBHOOK_SECRET_<NAME> was issued for (JSON). */
export const endpointIdsAnnotation = 'expe.dev/webhook-endpoint-ids';
/** The API key the Secret gets. */
export const sandboxKeyName = 'sandbox';

/**
 * The Secret's keys: the variables `expe sandbox create --env-file` writes, so a job's tests
 * read the same names whether the sandbox came from the CLI or from this resource.
 */
export const sandboxEnv = {
  apiKey: 'EXPE_API_KEY',
  publishableKey: 'EXPE_PUBLISHABLE_KEY',
  projectId: 'EXPE_SANDBOX_PROJECT_ID',
  expiresAt: 'EXPE_SANDBOX_EXPIRES_AT',
  merchantId: 'EXPE_MERCHANT_ID',
} as const;

/** `EXPE_WEBHOOK_SECRET_ORDERS` for the endpoint `orders` (`-` becomes `_`). */
export const webhookSecretKey = (endpointName: string) =>
  `EXPE_WEBHOOK_SECRET_${endpointName.toUpperCase().replaceAll('-', '_')}`;

const ttlUnits: Record<string, number> = { h: 3600, m: 60, s: 1 };

/** `1h30m` → 5400. The CRD admits only h/m/s parts in that order; anything else is undefined. */
export function parseTtlSeconds(ttl: string): number | undefined {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(ttl);
  if (!match || ttl.length === 0) return undefined;
  const [, hours, minutes, seconds] = match;
  return (
    Number(hours ?? 0) * ttlUnits.h! +
    Number(minutes ?? 0) * ttlUnits.m! +
    Number(seconds ?? 0) * ttlUnits.s!
  );
}

/**
 * When the sandbox ends: its creation plus its ttl. Counted from `kubectl apply`, not from the
 * first reconcile, so an operator that was down or a Merchant that was slow does not lengthen
 * it, and every pass asks the merchants service for the same end.
 */
export function expiresAtOf(sandbox: Sandbox): Date | undefined {
  const created = Date.parse(String(sandbox.metadata?.creationTimestamp ?? ''));
  const seconds = parseTtlSeconds(sandbox.spec.ttl);
  if (Number.isNaN(created) || seconds === undefined) return undefined;
  return new Date(created + seconds * 1000);
}

export const secretNameOf = (sandbox: Sandbox) =>
  sandbox.spec.secretName ?? sandbox.metadata?.name ?? '';

/**
 * A new project name: readable in the console (`sandbox namespace/name`) and unique by a random
 * suffix, so a Sandbox deleted and created again under the same name gets a new project. At
 * most 100 characters, the merchants service's limit.
 */
export function newProjectName(
  sandbox: Sandbox,
  random: () => string = () => randomBytes(6).toString('hex'),
): string {
  const readable = `sandbox ${sandbox.metadata?.namespace ?? ''}/${sandbox.metadata?.name ?? ''}`;
  return `${readable.slice(0, 86)} ${random()}`;
}

/** The description that marks an endpoint as this Sandbox's (adopted after a crash). */
export const sandboxEndpointDescription = (sandbox: Sandbox, endpointName: string) =>
  `managed by expe-operator: Sandbox ${sandbox.metadata?.namespace}/${sandbox.metadata?.name} endpoint ${endpointName}`;

/** Whether the sandbox's end has come. */
export const hasEnded = (expiresAt: Date, now: Date) => now.getTime() >= expiresAt.getTime();

/**
 * How long until the pass that marks the sandbox Expired: its end (plus a little, so the pass
 * does not run a moment early), at most a day (a timer cannot wait 30 days; the resync and the
 * next day's requeue carry it).
 */
export function requeueUntilEnd(expiresAt: Date, now: Date): number {
  return Math.min(Math.max(expiresAt.getTime() - now.getTime(), 0) + 250, 86_400_000);
}

export function parseEndpointIds(raw: string | undefined): Record<string, string> {
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    );
  } catch {
    return {};
  }
}
