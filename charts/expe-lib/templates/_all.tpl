{{/* Everything one Expe deployable needs; a service chart's only template includes this. */}}
{{- define "expe-lib.all" -}}
{{- $parts := list "expe-lib.serviceaccount" "expe-lib.configmap" "expe-lib.deployment" "expe-lib.service" "expe-lib.hpa" "expe-lib.pdb" "expe-lib.networkpolicy" "expe-lib.servicemonitor" -}}
{{- range $parts }}
{{- $rendered := include . $ }}
{{- if trim $rendered }}
---
{{ $rendered }}
{{- end }}
{{- end }}
{{- with .Values.metrics.prometheusRule.groups }}
{{- $rule := include "expe-lib.prometheusrule" (dict "root" $ "name" (include "expe-lib.fullname" $) "groups" . "labels" $.Values.metrics.prometheusRule.labels) }}
{{- if trim $rule }}
---
{{ $rule }}
{{- end }}
{{- end }}
{{- end -}}
