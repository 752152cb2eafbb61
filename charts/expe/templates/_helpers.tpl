{{/* Labels of a part of the umbrella chart itself (postgresql, redis, dashboards, …). */}}
{{- define "expe.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "expe.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{ include "expe.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: expe
app.kubernetes.io/component: {{ .component | default .name }}
{{- end -}}

{{- define "expe.secretName" -}}
{{- default (printf "%s-secrets" .Release.Name) .Values.global.existingSecret -}}
{{- end -}}

{{/*
A value for the generated Secret, base64-encoded: the one set in values, else the one already in
the cluster (upgrades keep secrets), else a new random one.
*/}}
{{- define "expe.secretValue" -}}
{{- if .value -}}
{{- .value | b64enc -}}
{{- else if hasKey .existing .key -}}
{{- index .existing .key -}}
{{- else -}}
{{- randAlphaNum 48 | b64enc -}}
{{- end -}}
{{- end -}}

{{/* <registry>/expe-<service>:<tag> for a subchart, as the subchart itself would name it. */}}
{{- define "expe.serviceImage" -}}
{{- $values := index .root.Values .service | default dict -}}
{{- $image := $values.image | default dict -}}
{{- $registry := $image.registry | default .root.Values.global.image.registry -}}
{{- $repository := $image.repository | default (printf "expe-%s" .service) -}}
{{- $tag := $image.tag | default .root.Values.global.image.tag | default .root.Chart.AppVersion -}}
{{- if $registry -}}
{{- printf "%s/%s:%s" $registry $repository $tag -}}
{{- else -}}
{{- printf "%s:%s" $repository $tag -}}
{{- end -}}
{{- end -}}
