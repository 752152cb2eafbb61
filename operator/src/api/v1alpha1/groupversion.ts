/** The expe.dev/v1alpha1 API: group, version and the resources of each kind (as in the CRDs). */
export const groupVersion = { group: 'expe.dev', version: 'v1alpha1' } as const;
export const apiVersion = `${groupVersion.group}/${groupVersion.version}` as const;

export const resources = {
  merchant: { ...groupVersion, plural: 'merchants', kind: 'Merchant' },
  webhookEndpoint: { ...groupVersion, plural: 'webhookendpoints', kind: 'WebhookEndpoint' },
  sandbox: { ...groupVersion, plural: 'sandboxes', kind: 'Sandbox' },
} as const;

export type ResourceKind = keyof typeof resources;
