{{/*
The operator's permissions: the verbs it calls, nothing more (operator/src/kube), in two parts.
Its own kinds (resourceRules) are granted cluster-wide by a ClusterRoleBinding: a grant that lives
in a watched namespace is deleted with that namespace, before the finalizers it must release
(ADR 0015). Secrets and Events (namespacedRules) stay in a Role in each watched namespace.
*/}}
{{- define "expe-operator.resourceRules" -}}
# Its own resources: read and watch, set finalizers and annotations (PUT). Never create or delete
# them.
- apiGroups: ["expe.dev"]
  resources: ["merchants", "webhookendpoints", "sandboxes"]
  verbs: ["get", "list", "watch", "update"]
# The status subresource, written as a merge patch.
- apiGroups: ["expe.dev"]
  resources: ["merchants/status", "webhookendpoints/status", "sandboxes/status"]
  verbs: ["patch"]
# Secrets it writes name their resource as owner with blockOwnerDeletion.
- apiGroups: ["expe.dev"]
  resources: ["merchants/finalizers", "webhookendpoints/finalizers", "sandboxes/finalizers"]
  verbs: ["update"]
{{- end -}}

{{- define "expe-operator.namespacedRules" -}}
# The Secrets that carry API keys and signing secrets (owned by the custom resources).
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "update", "delete"]
# Events, aggregated: a repeat reads the Event and raises its count.
- apiGroups: [""]
  resources: ["events"]
  verbs: ["get", "create", "update"]
{{- end -}}

{{- define "expe-operator.rules" -}}
{{ include "expe-operator.resourceRules" . }}
{{ include "expe-operator.namespacedRules" . }}
{{- end -}}

{{/*
The operator's own name: <release>-expe-operator, or just the release when it already contains
"expe-operator" (nothing calls the operator by name, so Helm's usual shortcut is safe here).
*/}}
{{- define "expe-operator.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "expe-lib.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "expe-lib.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "expe-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "expe-operator.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The expe release the operator talks to; named in the error when it is needed and missing. */}}
{{- define "expe-operator.platformRelease" -}}
{{- required "platform.releaseName is required (the release name of the expe chart), unless merchants.url, webhooks.url and identitySecret.name are all set" .Values.platform.releaseName -}}
{{- end -}}

{{- define "expe-operator.platformNamespace" -}}
{{- default .Release.Namespace .Values.platform.namespace -}}
{{- end -}}

{{- define "expe-operator.merchantsUrl" -}}
{{- if .Values.merchants.url -}}
{{- .Values.merchants.url -}}
{{- else -}}
{{- printf "http://%s-merchants.%s:4002" (include "expe-operator.platformRelease" .) (include "expe-operator.platformNamespace" .) -}}
{{- end -}}
{{- end -}}

{{- define "expe-operator.webhooksUrl" -}}
{{- if .Values.webhooks.url -}}
{{- .Values.webhooks.url -}}
{{- else -}}
{{- printf "http://%s-webhooks.%s:4004" (include "expe-operator.platformRelease" .) (include "expe-operator.platformNamespace" .) -}}
{{- end -}}
{{- end -}}

{{- /* Empty when neither gateway.url nor platform.releaseName is set: fixtures are then refused. */ -}}
{{- define "expe-operator.gatewayUrl" -}}
{{- if .Values.gateway.url -}}
{{- .Values.gateway.url -}}
{{- else if .Values.platform.releaseName -}}
{{- printf "http://%s-gateway.%s:4000" .Values.platform.releaseName (include "expe-operator.platformNamespace" .) -}}
{{- end -}}
{{- end -}}

{{- define "expe-operator.identitySecretName" -}}
{{- if .Values.identitySecret.name -}}
{{- .Values.identitySecret.name -}}
{{- else -}}
{{- printf "%s-operator-identity" (include "expe-operator.platformRelease" .) -}}
{{- end -}}
{{- end -}}

{{/*
podAntiAffinity from podAntiAffinityPreset: soft = prefer a node without another replica, hard =
require one (a replica stays Pending when no such node is left). Used when affinity is empty.
*/}}
{{- define "expe-operator.antiAffinity" -}}
{{- $term := dict "topologyKey" "kubernetes.io/hostname" "labelSelector" (dict "matchLabels" (include "expe-lib.selectorLabels" . | fromYaml)) -}}
{{- if eq .Values.podAntiAffinityPreset "soft" -}}
podAntiAffinity:
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        {{- toYaml $term | nindent 8 }}
{{- else if eq .Values.podAntiAffinityPreset "hard" -}}
podAntiAffinity:
  requiredDuringSchedulingIgnoredDuringExecution:
    - {{- toYaml $term | nindent 6 }}
{{- end -}}
{{- end -}}
