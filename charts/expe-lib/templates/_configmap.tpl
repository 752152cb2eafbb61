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
  {{- if not (hasKey (.Values.env | default dict) "SHUTDOWN_DRAIN_MS") }}
  # After SIGTERM (and the preStop sleep), keep-alive connections get Connection: close on their
  # next answer for up to 3 s before idle ones are cut, so no client's request meets a closing socket.
  SHUTDOWN_DRAIN_MS: "3000"
  {{- end }}
  {{- with $otel.endpoint }}
  # Spans go over OTLP/HTTP here; without it they are recorded (trace ids in logs) and dropped.
  OTEL_EXPORTER_OTLP_ENDPOINT: {{ . | quote }}
  {{- end }}
  {{- end }}
  {{- range $name, $value := .Values.env }}
  {{ $name }}: {{ tpl (toString $value) $ | quote }}
  {{- end }}
{{- end -}}
