// The Merchant and WebhookEndpoint types moved to operator/src/api/v1alpha1 (generated from the
// CRDs there, kubebuilder-style). This module stays empty only while src/index.ts still
// re-exports it; drop both together.
export {};
