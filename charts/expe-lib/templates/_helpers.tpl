{{/*
Names and labels. The full name is always <release>-<chart>, so services find each other at
predictable addresses (http://<release>-auth:4001) whatever the release is called: a release
named payments-sandbox still names the payments Service payments-sandbox-payments, which is what
every caller uses. (Helm's usual "just <release> when it contains the chart's name" shortcut
would break exactly that.)
*/}}
{{- define "expe-lib.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "expe-lib.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "expe-lib.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "expe-lib.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "expe-lib.selectorLabels" -}}
app.kubernetes.io/name: {{ include "expe-lib.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "expe-lib.labels" -}}
helm.sh/chart: {{ include "expe-lib.chart" . }}
{{ include "expe-lib.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: expe
app.kubernetes.io/component: {{ .Values.component | default "api" }}
{{- end -}}

{{- define "expe-lib.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "expe-lib.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* <registry>/<repository>:<tag>; the registry and tag fall back to the umbrella's globals. */}}
{{- define "expe-lib.image" -}}
{{- $global := .Values.global | default dict -}}
{{- $globalImage := $global.image | default dict -}}
{{- $registry := .Values.image.registry | default $globalImage.registry -}}
{{- $tag := .Values.image.tag | default $globalImage.tag | default .Chart.AppVersion -}}
{{- if $registry -}}
{{- printf "%s/%s:%s" $registry .Values.image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "expe-lib.imagePullPolicy" -}}
{{- $global := .Values.global | default dict -}}
{{- $globalImage := $global.image | default dict -}}
{{- .Values.image.pullPolicy | default $globalImage.pullPolicy | default "IfNotPresent" -}}
{{- end -}}

{{/* The Secret holding JWT_SECRET, INTERNAL_AUTH_SECRET, DATABASE_URL, …: global.existingSecret or <release>-secrets. */}}
{{- define "expe-lib.secretName" -}}
{{- $global := .Values.global | default dict -}}
{{- default (printf "%s-secrets" .Release.Name) $global.existingSecret -}}
{{- end -}}

{{/* This deployable's identity key (ADR 0008): identity.existingSecret or <release>-<name>-identity. */}}
{{- define "expe-lib.identitySecretName" -}}
{{- $identity := .Values.identity | default dict -}}
{{- default (printf "%s-identity" (include "expe-lib.fullname" .)) $identity.existingSecret -}}
{{- end -}}

{{/* The public keys of the issuers: global.identity.publicKeysConfigMap or <release>-identity-public-keys. */}}
{{- define "expe-lib.identityPublicKeysName" -}}
{{- $global := .Values.global | default dict -}}
{{- $identity := $global.identity | default dict -}}
{{- default (printf "%s-identity-public-keys" .Release.Name) $identity.publicKeysConfigMap -}}
{{- end -}}

{{- define "expe-lib.imagePullSecrets" -}}
{{- $global := .Values.global | default dict -}}
{{- $secrets := concat (.Values.imagePullSecrets | default list) ($global.imagePullSecrets | default list) -}}
{{- with $secrets -}}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
Whether ServiceMonitors render: the chart's metrics.serviceMonitor.enabled, or the umbrella's
global.metrics.serviceMonitor.enabled. From values alone, never from the API server's
capabilities: `helm template` (Argo CD, Flux, Tilt) sees none, and a GitOps sync would drop the
monitoring objects. Turn it on where the Prometheus Operator's CRDs are installed.
*/}}
{{- define "expe-lib.serviceMonitorEnabled" -}}
{{- $global := dig "metrics" "serviceMonitor" "enabled" false (.Values.global | default dict) -}}
{{- /* The web app (nginx, component frontend) serves no /metrics: only its own value counts. */ -}}
{{- $followsGlobal := and $global (ne .Values.component "frontend") -}}
{{- if or .Values.metrics.serviceMonitor.enabled $followsGlobal -}}true{{- end -}}
{{- end -}}

{{/*
The container command: `node [--import @expe/server-kit/instrument] <entrypoint>` so that
OpenTelemetry patches http, express, pg and ioredis before the service loads (ES modules can only
be instrumented through that preload). `command` overrides it all; with neither, the image's CMD.
*/}}
{{- define "expe-lib.command" -}}
{{- if .Values.command -}}
{{- toYaml .Values.command -}}
{{- else if .Values.entrypoint -}}
- node
{{- if .Values.otel.preload }}
- --import
- "@expe/server-kit/instrument"
{{- end }}
- {{ .Values.entrypoint }}
{{- end -}}
{{- end -}}

{{/*
Peers allowed to scrape /metrics through the NetworkPolicy: global.metricsScrapers (set once in
the umbrella) or the chart's networkPolicy.metricsScrapers.
*/}}
{{- define "expe-lib.metricsScrapers" -}}
{{- $global := .Values.global | default dict -}}
{{- with ($global.metricsScrapers | default .Values.networkPolicy.metricsScrapers) -}}
{{- toYaml . -}}
{{- end -}}
{{- end -}}
