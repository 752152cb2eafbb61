{{/* Rendered when the values ask for it (expe-lib.serviceMonitorEnabled), whatever the cluster serves. */}}
{{- define "expe-lib.servicemonitor" -}}
{{- if include "expe-lib.serviceMonitorEnabled" . -}}
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
{{- if .groups -}}
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
