{{/* The operator's permissions in every namespace it watches (a Role each, or one ClusterRole). */}}
{{- define "expe-operator.rules" -}}
# Its own resources: read and watch, set finalizers, write status. Never create or delete them.
- apiGroups: ["expe.dev"]
  resources: ["merchants", "webhookendpoints"]
  verbs: ["get", "list", "watch", "update", "patch"]
- apiGroups: ["expe.dev"]
  resources: ["merchants/status", "webhookendpoints/status"]
  verbs: ["get", "update", "patch"]
- apiGroups: ["expe.dev"]
  resources: ["merchants/finalizers", "webhookendpoints/finalizers"]
  verbs: ["update"]
# The Secrets that carry API keys and signing secrets (owned by the custom resources).
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end -}}
