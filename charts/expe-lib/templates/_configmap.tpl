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
  {{- range $name, $value := .Values.env }}
  {{ $name }}: {{ tpl (toString $value) $ | quote }}
  {{- end }}
{{- end -}}
