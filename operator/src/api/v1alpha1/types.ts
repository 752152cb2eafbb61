// Generated from charts/expe-operator/crds/*.yaml by
// operator/scripts/generate-crd-types.ts — do not edit; change the CRD and rerun
// `npm run generate-crd-types -w @expe/operator`.

/** The fields of metav1.ObjectMeta that clients read and write, in their JSON form. */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: {
    apiVersion: string;
    kind: string;
    name: string;
    uid: string;
    controller?: boolean;
    blockOwnerDeletion?: boolean;
  }[];
}

/**
 * API key rotation. Each change of trigger rolls every key of the Merchant once through the merchants service: its Secret gets a new secretKey at once and the previous secret keeps working for overlapSeconds, so workloads can reload the Secret without downtime.
 */
export interface MerchantSpecRotation {
  /**
   * How long the previous secret of a rolled key keeps working (0 = it stops at once; at most 7 days).
   * minimum 0; maximum 604800
   * @default 86400
   */
  overlapSeconds?: number;
  /**
   * Any value (a date, a ticket number); every change rolls each key once. Empty or absent = no rotation.
   * at most 63 characters
   */
  trigger?: string;
}

export interface MerchantSpecProjectApiKey {
  /**
   * Key name, unique within the project.
   * 1–100 characters
   */
  name: string;
  /**
   * test keys see only test data; live keys only live data.
   */
  mode: 'test' | 'live';
  /**
   * Secret (in the Merchant's namespace) that receives the key as secretKey and publishableKey; created and owned by the operator.
   * 1–253 characters; pattern `^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
   */
  secretName: string;
}

export interface MerchantSpecProject {
  /**
   * Project name, unique within the merchant.
   * 1–100 characters
   */
  name: string;
  /**
   * API keys to issue; each is written to its own Secret.
   * at most 10 items
   * Rule: every API key needs a Secret of its own (secretName is used twice)
   */
  apiKeys?: MerchantSpecProjectApiKey[];
}

/**
 * The merchant as the platform team wants it.
 * Rule: every API key needs a Secret of its own (secretName is used twice)
 */
export interface MerchantSpec {
  /**
   * Name shown to shoppers on the checkout page and in the dashboard.
   * 1–100 characters
   * Rule: displayName must not be blank
   */
  displayName: string;
  /**
   * The merchant's contact address.
   * format email; at most 254 characters
   */
  email: string;
  /**
   * API key rotation. Each change of trigger rolls every key of the Merchant once through the merchants service: its Secret gets a new secretKey at once and the previous secret keeps working for overlapSeconds, so workloads can reload the Secret without downtime.
   */
  rotation?: MerchantSpecRotation;
  /**
   * Projects of the merchant; each holds API keys of its own.
   * at most 20 items
   */
  projects?: MerchantSpecProject[];
}

/**
 * The last rotation that every key went through.
 */
export interface MerchantStatusRotation {
  /**
   * spec.rotation.trigger of that rotation.
   * at most 63 characters
   */
  trigger?: string;
  /**
   * When its last key was rolled.
   * format date-time
   */
  rotatedAt?: string;
}

export interface MerchantStatusProjectApiKey {
  /**
   * The key as named in spec.projects[].apiKeys.
   * at most 100 characters
   */
  name: string;
  /**
   * Id of the API key (key_…).
   * at most 64 characters
   */
  id: string;
  /**
   * test or live.
   */
  mode: 'test' | 'live';
  /**
   * The Secret the key was written to (secretKey, publishableKey, keyId, …).
   * at most 253 characters
   */
  secretName: string;
}

export interface MerchantStatusProject {
  /**
   * The project as named in spec.projects.
   * at most 100 characters
   */
  name: string;
  /**
   * Id of the project (prj_…).
   * at most 64 characters
   */
  id: string;
  /**
   * The API keys of the project the operator issued.
   * at most 10 items
   */
  apiKeys?: MerchantStatusProjectApiKey[];
}

export interface MerchantStatusCondition {
  /**
   * Ready, Progressing or Degraded.
   * at most 316 characters; pattern `^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$`
   */
  type: string;
  /**
   * True, False or Unknown.
   */
  status: 'True' | 'False' | 'Unknown';
  /**
   * The metadata.generation the condition was set for.
   * format int64; minimum 0
   */
  observedGeneration?: number;
  /**
   * When the status last changed.
   * format date-time
   */
  lastTransitionTime: string;
  /**
   * Why, in one CamelCase word (SecretConflict, MerchantNotFound, Reconciled, …).
   * 1–1024 characters; pattern `^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$`
   */
  reason: string;
  /**
   * What happened, for people.
   * at most 32768 characters
   */
  message: string;
}

/**
 * What the operator last observed and did.
 */
export interface MerchantStatus {
  /**
   * Id of the merchant in the merchants service (mer_…).
   * at most 64 characters
   */
  merchantId?: string;
  /**
   * The last rotation that every key went through.
   */
  rotation?: MerchantStatusRotation;
  /**
   * The metadata.generation this status describes.
   * format int64; minimum 0
   */
  observedGeneration?: number;
  /**
   * The merchant's projects in the merchants service, with the keys issued into Secrets.
   * at most 20 items
   */
  projects?: MerchantStatusProject[];
  /**
   * Ready, Progressing and Degraded, as metav1.Condition.
   * at most 8 items
   */
  conditions?: MerchantStatusCondition[];
}

/**
 * A merchant of the Expe payment gateway, with its projects and the API keys the operator issues into Secrets.
 */
export interface Merchant {
  apiVersion: 'expe.dev/v1alpha1';
  kind: 'Merchant';
  metadata?: ObjectMeta;
  /**
   * The merchant as the platform team wants it.
   * Rule: every API key needs a Secret of its own (secretName is used twice)
   */
  spec: MerchantSpec;
  /**
   * What the operator last observed and did.
   */
  status?: MerchantStatus;
}

export interface MerchantList {
  apiVersion: 'expe.dev/v1alpha1';
  kind: 'MerchantList';
  metadata?: { resourceVersion?: string; continue?: string };
  items: Merchant[];
}

/**
 * The Merchant (same namespace) whose sandbox this is.
 * Rule: merchantRef is immutable; create another Sandbox instead
 */
export interface SandboxSpecMerchantRef {
  /**
   * Name of the Merchant resource in this namespace.
   * 1–253 characters; pattern `^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
   */
  name: string;
}

export interface SandboxSpecWebhookEndpoint {
  /**
   * The endpoint's name within this Sandbox; it names its Secret key.
   * 1–40 characters; pattern `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
   */
  name: string;
  /**
   * Where events are POSTed (http:// or https://).
   * 1–2048 characters
   * Rule: url must be an http:// or https:// URL
   */
  url: string;
  /**
   * Event types to send (for example payment.succeeded), or ["*"] for all.
   * 1–50 items
   * Rule: '*' already means every event and cannot be combined with others
   */
  enabledEvents: string[];
  /**
   * Stop sending events to it without removing it.
   * @default false
   */
  disabled?: boolean;
}

/**
 * The sandbox the job wants.
 * Rule: secretName is immutable; create another Sandbox instead
 */
export interface SandboxSpec {
  /**
   * The Merchant (same namespace) whose sandbox this is.
   * Rule: merchantRef is immutable; create another Sandbox instead
   */
  merchantRef: SandboxSpecMerchantRef;
  /**
   * How long the sandbox lives, counted from the Sandbox's creation: hours, minutes and seconds as in 90s, 15m, 1h or 1h30m; from 1m to 720h (30 days). At its end the keys stop working, the project's test data is archived, the Secret is deleted and the Sandbox stays with Ready=False, reason Expired.
   * 2–32 characters; pattern `^([0-9]+h)?([0-9]+m)?([0-9]+s)?$`
   * Rule: ttl must be from 1m to 720h (30 days)
   * Rule: ttl is immutable; a sandbox ends when it was created to end
   */
  ttl: string;
  /**
   * Secret (this namespace) the operator creates with the sandbox's keys (EXPE_API_KEY, EXPE_PUBLISHABLE_KEY, EXPE_SANDBOX_PROJECT_ID, EXPE_SANDBOX_EXPIRES_AT, EXPE_MERCHANT_ID and one EXPE_WEBHOOK_SECRET_<NAME> per webhook endpoint), for envFrom. Defaults to the Sandbox's name.
   * 1–253 characters; pattern `^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
   * Rule: secretName is immutable; create another Sandbox instead
   */
  secretName?: string;
  /**
   * Webhook endpoints registered in the sandbox's project, so the job receives its events. Each one's signing secret is in the Secret as EXPE_WEBHOOK_SECRET_<NAME> (the name upper-cased, '-' as '_'). Endpoints can be added, changed and removed while the sandbox lives.
   * at most 10 items
   */
  webhookEndpoints?: SandboxSpecWebhookEndpoint[];
  /**
   * A scenario (the format of examples/scenarios and expe fixtures apply: version, name, steps, outputs) applied to the sandbox once its key exists, before it is Ready: customers, saved cards, payments in chosen states, refunds, disputes, QR codes, payouts, clock advances. Applied again only when it changes; each step is idempotent, so a retry creates nothing twice. Needs the operator's GATEWAY_URL.
   */
  fixtures?: Record<string, unknown>;
}

export interface SandboxStatusWebhookEndpoint {
  /**
   * The endpoint's name in spec.webhookEndpoints.
   * at most 40 characters
   */
  name: string;
  /**
   * Id of the endpoint in Expe (we_…).
   * at most 64 characters
   */
  endpointId: string;
}

/**
 * The scenario of spec.fixtures as last applied.
 */
export interface SandboxStatusFixtures {
  /**
   * The scenario's name.
   * at most 200 characters
   */
  scenario?: string;
  /**
   * SHA-256 of the applied spec.fixtures and project; a change applies it again.
   * at most 64 characters
   */
  digest?: string;
  /**
   * How many steps ran.
   * minimum 0
   */
  steps?: number;
  /**
   * Steps that wrote to the sandbox in that apply.
   * minimum 0
   */
  created?: number;
  /**
   * When it was applied, RFC 3339.
   * format date-time
   */
  appliedAt?: string;
}

export interface SandboxStatusCondition {
  /**
   * Ready, Progressing or Degraded.
   * at most 316 characters; pattern `^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$`
   */
  type: string;
  /**
   * True, False or Unknown.
   */
  status: 'True' | 'False' | 'Unknown';
  /**
   * The metadata.generation the condition was set for.
   * format int64; minimum 0
   */
  observedGeneration?: number;
  /**
   * When the status last changed.
   * format date-time
   */
  lastTransitionTime: string;
  /**
   * Why, in one CamelCase word (Expired, MerchantNotReady, SecretConflict, Reconciled, …).
   * 1–1024 characters; pattern `^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$`
   */
  reason: string;
  /**
   * What happened, for people.
   * at most 32768 characters
   */
  message: string;
}

/**
 * What the operator last observed and did.
 */
export interface SandboxStatus {
  /**
   * Id of the merchant in Expe (mer_…).
   * at most 64 characters
   */
  merchantId?: string;
  /**
   * Id of the sandbox's project in Expe (prj_…).
   * at most 64 characters
   */
  projectId?: string;
  /**
   * When the sandbox ends (its keys stop working), RFC 3339.
   * format date-time
   */
  expiresAt?: string;
  /**
   * The Secret that holds the sandbox's keys (deleted when it ends).
   * at most 253 characters
   */
  secretName?: string;
  /**
   * The webhook endpoints registered in the sandbox's project.
   * at most 10 items
   */
  webhookEndpoints?: SandboxStatusWebhookEndpoint[];
  /**
   * The scenario of spec.fixtures as last applied.
   */
  fixtures?: SandboxStatusFixtures;
  /**
   * The metadata.generation this status describes.
   * format int64; minimum 0
   */
  observedGeneration?: number;
  /**
   * Ready, Progressing and Degraded, as metav1.Condition. An ended sandbox has Ready=False with reason Expired, for good.
   * at most 8 items
   */
  conditions?: SandboxStatusCondition[];
}

/**
 * An ephemeral, isolated test-mode project of a Merchant for one CI job or preview environment. The operator creates the project, writes its test keys (and the signing secrets of its webhook endpoints) into a Secret owned by the Sandbox, and ends the project when the Sandbox is deleted or its ttl has passed.
 */
export interface Sandbox {
  apiVersion: 'expe.dev/v1alpha1';
  kind: 'Sandbox';
  metadata?: ObjectMeta;
  /**
   * The sandbox the job wants.
   * Rule: secretName is immutable; create another Sandbox instead
   */
  spec: SandboxSpec;
  /**
   * What the operator last observed and did.
   */
  status?: SandboxStatus;
}

export interface SandboxList {
  apiVersion: 'expe.dev/v1alpha1';
  kind: 'SandboxList';
  metadata?: { resourceVersion?: string; continue?: string };
  items: Sandbox[];
}

/**
 * The Merchant (same namespace) the endpoint belongs to.
 * Rule: merchantRef is immutable; create another WebhookEndpoint instead
 */
export interface WebhookEndpointSpecMerchantRef {
  /**
   * Name of the Merchant resource in this namespace.
   * 1–253 characters; pattern `^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
   */
  name: string;
}

/**
 * Signing secret rotation. Each change of trigger issues a new signing secret into the Secret; the webhooks service keeps signing with the previous one as well for overlapSeconds, so receivers can switch without rejecting events.
 */
export interface WebhookEndpointSpecSigningSecretRotation {
  /**
   * How long the previous secret keeps signing (0 = stops at once; at most 7 days).
   * minimum 0; maximum 604800
   * @default 86400
   */
  overlapSeconds?: number;
  /**
   * Any value; every change rotates the signing secret once.
   * at most 63 characters
   */
  trigger?: string;
}

/**
 * Secret (same namespace) that receives the endpoint's signing secret as signingSecret; created and owned by the operator.
 */
export interface WebhookEndpointSpecSigningSecretRef {
  /**
   * Name of the Secret (this namespace) the signing secret is written to.
   * 1–253 characters; pattern `^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
   */
  name: string;
}

/**
 * The webhook endpoint as the platform team wants it.
 * Rule: a live-mode webhook URL must use https
 */
export interface WebhookEndpointSpec {
  /**
   * The Merchant (same namespace) the endpoint belongs to.
   * Rule: merchantRef is immutable; create another WebhookEndpoint instead
   */
  merchantRef: WebhookEndpointSpecMerchantRef;
  /**
   * Name of a project in that Merchant's spec.projects.
   * 1–100 characters
   * Rule: project is immutable; create another WebhookEndpoint instead
   */
  project: string;
  /**
   * Whether the endpoint receives the events of test data or of live data.
   * Rule: mode is immutable; create another WebhookEndpoint instead
   */
  mode: 'test' | 'live';
  /**
   * Where events are POSTed; https required in live mode.
   * format uri; 1–2048 characters
   * Rule: url must be an http:// or https:// URL
   */
  url: string;
  /**
   * Event types to send (for example payment.succeeded), or ["*"] for all.
   * 1–50 items
   * Rule: '*' already means every event and cannot be combined with others
   */
  enabledEvents: string[];
  /**
   * Stop sending events without deleting the endpoint.
   * @default false
   */
  disabled?: boolean;
  /**
   * Signing secret rotation. Each change of trigger issues a new signing secret into the Secret; the webhooks service keeps signing with the previous one as well for overlapSeconds, so receivers can switch without rejecting events.
   */
  signingSecretRotation?: WebhookEndpointSpecSigningSecretRotation;
  /**
   * Secret (same namespace) that receives the endpoint's signing secret as signingSecret; created and owned by the operator.
   */
  signingSecretRef: WebhookEndpointSpecSigningSecretRef;
}

export interface WebhookEndpointStatusCondition {
  /**
   * Ready, Progressing or Degraded.
   * at most 316 characters; pattern `^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$`
   */
  type: string;
  /**
   * True, False or Unknown.
   */
  status: 'True' | 'False' | 'Unknown';
  /**
   * The metadata.generation the condition was set for.
   * format int64; minimum 0
   */
  observedGeneration?: number;
  /**
   * When the status last changed.
   * format date-time
   */
  lastTransitionTime: string;
  /**
   * Why, in one CamelCase word (SecretConflict, MerchantNotFound, Reconciled, …).
   * 1–1024 characters; pattern `^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$`
   */
  reason: string;
  /**
   * What happened, for people.
   * at most 32768 characters
   */
  message: string;
}

/**
 * What the operator last observed and did.
 */
export interface WebhookEndpointStatus {
  /**
   * Id of the endpoint in Expe (we_…).
   * at most 64 characters
   */
  endpointId?: string;
  /**
   * The metadata.generation this status describes.
   * format int64; minimum 0
   */
  observedGeneration?: number;
  /**
   * Ready, Progressing and Degraded, as metav1.Condition.
   * at most 8 items
   */
  conditions?: WebhookEndpointStatusCondition[];
}

/**
 * A webhook endpoint of a merchant's project; the operator registers it with Expe and keeps its signing secret in a Secret.
 */
export interface WebhookEndpoint {
  apiVersion: 'expe.dev/v1alpha1';
  kind: 'WebhookEndpoint';
  metadata?: ObjectMeta;
  /**
   * The webhook endpoint as the platform team wants it.
   * Rule: a live-mode webhook URL must use https
   */
  spec: WebhookEndpointSpec;
  /**
   * What the operator last observed and did.
   */
  status?: WebhookEndpointStatus;
}

export interface WebhookEndpointList {
  apiVersion: 'expe.dev/v1alpha1';
  kind: 'WebhookEndpointList';
  metadata?: { resourceVersion?: string; continue?: string };
  items: WebhookEndpoint[];
}

/** Group, version and plural of each custom resource, for API paths and clients. */
export const expeResources = {
  merchant: {
    group: 'expe.dev',
    version: 'v1alpha1',
    plural: 'merchants',
    kind: 'Merchant',
    apiVersion: 'expe.dev/v1alpha1',
    namespaced: true,
  },
  sandbox: {
    group: 'expe.dev',
    version: 'v1alpha1',
    plural: 'sandboxes',
    kind: 'Sandbox',
    apiVersion: 'expe.dev/v1alpha1',
    namespaced: true,
  },
  webhookEndpoint: {
    group: 'expe.dev',
    version: 'v1alpha1',
    plural: 'webhookendpoints',
    kind: 'WebhookEndpoint',
    apiVersion: 'expe.dev/v1alpha1',
    namespaced: true,
  },
} as const;
