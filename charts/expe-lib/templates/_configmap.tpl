{{/* Non-secret environment of the service. Values are templates: "http://{{ .Release.Name }}-auth:4001" works. */}}
{{- define "expe-lib.configmap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "expe-lib.fullname" . }}
  labels:
    {{- include "expe-lib.labels" . | nindent 4 }}
data:
  PORT: {{ .Values.port | quote }}
  {{- if .Values.entrypoint }}
  {{- $global := .Values.global | default dict }}
  {{- $otel := $global.otel | default dict }}
  OTEL_SERVICE_NAME: {{ include "expe-lib.name" . | quote }}
  {{- with $otel.endpoint }}
  # Spans go over OTLP/HTTP here; without it they are recorded (trace ids in logs) and dropped.
  OTEL_EXPORTER_OTLP_ENDPOINT: {{ . | quote }}
  {{- end }}
  {{- end }}
  {{- range $name, $value := .Values.env }}
  {{ $name }}: {{ tpl (toString $value) $ | quote }}
  {{- end }}
{{- end -}}
