{{/*
Ingress to a service only from the Expe components that call it (by default the gateway), any
extra peers (the operator's namespace), and the Prometheus pods that scrape /metrics
(networkPolicy.metricsScrapers, or global.metricsScrapers from the umbrella). The gateway and the web app set
networkPolicy.allowAll: they are the public entry points.
*/}}
{{- define "expe-lib.networkpolicy" -}}
{{- if .Values.networkPolicy.enabled -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "expe-lib.fullname" . }}
  labels:
    {{- include "expe-lib.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "expe-lib.selectorLabels" . | nindent 6 }}
  policyTypes:
    - Ingress
  ingress:
    {{- if .Values.networkPolicy.allowAll }}
    - ports:
        - port: http
          protocol: TCP
        {{- range .Values.extraPorts }}
        - port: {{ .name }}
          protocol: TCP
        {{- end }}
    {{- else }}
    - ports:
        - port: http
          protocol: TCP
        {{- range .Values.extraPorts }}
        - port: {{ .name }}
          protocol: TCP
        {{- end }}
      from:
        {{- range .Values.networkPolicy.allowedClients }}
        - podSelector:
            matchLabels:
              app.kubernetes.io/name: {{ . }}
              app.kubernetes.io/instance: {{ $.Release.Name }}
        {{- end }}
        {{- with .Values.networkPolicy.extraFrom }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    {{- with include "expe-lib.metricsScrapers" . }}
    # Prometheus scrapes /metrics on the same port (the ServiceMonitor's target).
    - ports:
        - port: http
          protocol: TCP
      from:
        {{- . | nindent 8 }}
    {{- end }}
    {{- end }}
{{- end -}}
{{- end -}}
