// The operator's API, kubebuilder-style: types generated from charts/expe-operator/crds (the
// source of truth) and the group/version they belong to.
export * from './groupversion.js';
export * from './types.js';
