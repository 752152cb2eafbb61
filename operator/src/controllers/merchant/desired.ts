import { randomBytes } from 'node:crypto';
import type { Merchant, MerchantStatusProject } from '../../api/v1alpha1/index.js';
import type { V1OwnerReference } from '@kubernetes/client-node';
import { rotationAnnotation, type DesiredSecret } from '../../kube/secrets.js';

export const merchantFinalizer = 'expe.dev/merchant-cleanup';
/** The merchant's identity in the merchants service; restored with the resource's metadata. */
export const externalRefAnnotation = 'expe.dev/external-ref';
/** `true`: deletion skips the cleanup (the merchants service is gone for good). */
export const forceDeleteAnnotation = 'expe.dev/force-delete';

/**
 * A new external reference: namespace/name (readable in the merchants service) and a random
 * suffix, so a Merchant deleted and created again under the same name is a new merchant.
 */
export function newExternalRef(
  merchant: { metadata?: { namespace?: string; name?: string } },
  random: () => string = () => randomBytes(6).toString('hex'),
): string {
  return `${merchant.metadata?.namespace ?? ''}/${merchant.metadata?.name ?? ''}/${random()}`;
}

/** Every API key the spec asks for, flattened, in spec order. */
export function desiredKeys(merchant: Merchant) {
  return (merchant.spec.projects ?? []).flatMap((project) =>
    (project.apiKeys ?? []).map((key) => ({ project: project.name, ...key })),
  );
}

export function ownerReferenceTo(object: {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; uid?: string };
}): V1OwnerReference {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata?.name ?? '',
    uid: object.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The Secret one API key is written to. */
export function apiKeySecret(
  merchant: Merchant,
  secretName: string,
  key: {
    id: string;
    mode: 'test' | 'live';
    project: string;
    secret: string;
    publishable: string;
  },
  merchantId: string,
): DesiredSecret {
  const trigger = merchant.spec.rotation?.trigger;
  return {
    key: { namespace: merchant.metadata?.namespace ?? '', name: secretName },
    owner: ownerReferenceTo(merchant),
    // A secret issued now answers to the current trigger: it needs no roll for it.
    ...(trigger ? { annotations: { [rotationAnnotation]: trigger } } : {}),
    data: {
      secretKey: key.secret,
      publishableKey: key.publishable,
      keyId: key.id,
      mode: key.mode,
      projectId: key.project,
      merchantId,
    },
  };
}

/**
 * Keys the last status recorded that the new one no longer has: to be revoked, with the Secret
 * each was written to.
 */
export function removedKeyIds(
  previous: readonly MerchantStatusProject[] | undefined,
  next: readonly MerchantStatusProject[],
): { projectId: string; keyId: string; name?: string; secretName?: string }[] {
  const kept = new Set(next.flatMap((project) => (project.apiKeys ?? []).map((key) => key.id)));
  return (previous ?? []).flatMap((project) =>
    (project.apiKeys ?? [])
      .filter((key) => !kept.has(key.id))
      .map((key) => ({
        projectId: project.id,
        keyId: key.id,
        ...(key.name === undefined ? {} : { name: key.name }),
        ...(key.secretName === undefined ? {} : { secretName: key.secretName }),
      })),
  );
}

export function hasFinalizer(object: { metadata?: { finalizers?: string[] } }, name: string) {
  return object.metadata?.finalizers?.includes(name) ?? false;
}

export function withFinalizer<T extends { metadata?: { finalizers?: string[] } }>(
  object: T,
  name: string,
): T {
  return {
    ...object,
    metadata: { ...object.metadata, finalizers: [...(object.metadata?.finalizers ?? []), name] },
  };
}

export function withoutFinalizer<T extends { metadata?: { finalizers?: string[] } }>(
  object: T,
  name: string,
): T {
  return {
    ...object,
    metadata: {
      ...object.metadata,
      finalizers: (object.metadata?.finalizers ?? []).filter((finalizer) => finalizer !== name),
    },
  };
}

/** Whether the key's Secret must be rolled for spec.rotation.trigger. */
export function needsRotation(
  merchant: Merchant,
  secret: { metadata?: { annotations?: Record<string, string> } },
): boolean {
  const trigger = merchant.spec.rotation?.trigger;
  return Boolean(trigger) && secret.metadata?.annotations?.[rotationAnnotation] !== trigger;
}

/** Seconds the previous secret keeps working after a roll (CRD default: one day). */
export function rotationOverlapSeconds(merchant: Merchant): number {
  return merchant.spec.rotation?.overlapSeconds ?? 86_400;
}
