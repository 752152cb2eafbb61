{{/* Rendered only where the Prometheus Operator's API exists, so the chart installs anywhere. */}}
{{- define "expe-lib.servicemonitor" -}}
{{- if and .Values.metrics.serviceMonitor.enabled (include "expe-lib.hasPrometheusOperator" .) -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "expe-lib.fullname" . }}
  labels:
    {{- include "expe-lib.labels" . | nindent 4 }}
    {{- with .Values.metrics.serviceMonitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "expe-lib.selectorLabels" . | nindent 6 }}
  endpoints:
    - port: http
      path: /metrics
      interval: {{ .Values.metrics.serviceMonitor.interval }}
      scrapeTimeout: {{ .Values.metrics.serviceMonitor.scrapeTimeout }}
{{- end -}}
{{- end -}}

{{/* A PrometheusRule from a list of rule groups (the umbrella's alerts, or a chart's own). */}}
{{- define "expe-lib.prometheusrule" -}}
{{- $root := .root -}}
{{- if and .groups (include "expe-lib.hasPrometheusOperator" $root) -}}
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: {{ .name }}
  labels:
    app.kubernetes.io/instance: {{ $root.Release.Name }}
    app.kubernetes.io/managed-by: {{ $root.Release.Service }}
    app.kubernetes.io/part-of: expe
    {{- with .labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  groups:
    {{- toYaml .groups | nindent 4 }}
{{- end -}}
{{- end -}}
