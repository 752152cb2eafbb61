{{/*
Ingress to a service only from the Expe components that call it (by default the gateway), any
extra peers (the operator's namespace), and the Prometheus pods that scrape /metrics
(networkPolicy.metricsScrapers, or global.metricsScrapers from the umbrella). The gateway and the web app set
networkPolicy.allowAll: they are the public entry points.

Egress (global.networkPolicy.egress.enabled): denied except for what the service needs: DNS, the
PostgreSQL it migrates and stores into (when its secretEnv has DATABASE_URL), Redis (REDIS_URL),
the Expe services it calls (networkPolicy.egress.services) and, for the webhooks worker, the
public internet (networkPolicy.egress.internet), never the private, link-local (cloud metadata)
and loopback ranges listed in its `except`.
*/}}
{{- define "expe-lib.networkpolicy" -}}
{{- if .Values.networkPolicy.enabled -}}
{{- $egress := include "expe-lib.egressEnabled" . -}}
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
    {{- if $egress }}
    - Egress
    {{- end }}
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
  {{- if $egress }}
  egress:
    {{- include "expe-lib.egressRules" . | nindent 4 }}
  {{- end }}
{{- end -}}
{{- end -}}

{{/* Whether egress is restricted: global.networkPolicy.egress.enabled (default true). */}}
{{- define "expe-lib.egressEnabled" -}}
{{- $global := .Values.global | default dict -}}
{{- if dig "networkPolicy" "egress" "enabled" true $global -}}true{{- end -}}
{{- end -}}

{{/* The egress rules of a service (a list; empty renders `[]`: nothing may leave the Pod). */}}
{{- define "expe-lib.egressRules" -}}
{{- $global := .Values.global | default dict -}}
{{- $g := dig "networkPolicy" "egress" dict $global -}}
{{- $own := .Values.networkPolicy.egress | default dict -}}
{{- $secretEnv := .Values.secretEnv | default list -}}
{{- $rules := list -}}
{{- $needsDns := or (has "DATABASE_URL" $secretEnv) (has "REDIS_URL" $secretEnv) ($own.services) (dig "internet" "enabled" false $own) -}}
{{- if $needsDns -}}
{{- $dnsPorts := list (dict "port" 53 "protocol" "UDP") (dict "port" 53 "protocol" "TCP") -}}
{{- $rules = append $rules (dict "to" ($g.dns | default (include "expe-lib.defaultDnsPeers" . | fromYamlArray)) "ports" $dnsPorts) -}}
{{- end -}}
{{- if has "DATABASE_URL" $secretEnv -}}
{{- $to := $g.database | default (list (dict "podSelector" (dict "matchLabels" (dict "app.kubernetes.io/name" "postgresql" "app.kubernetes.io/instance" .Release.Name)))) -}}
{{- $rules = append $rules (dict "to" $to "ports" (list (dict "port" ($g.databasePort | default 5432 | int) "protocol" "TCP"))) -}}
{{- end -}}
{{- if has "REDIS_URL" $secretEnv -}}
{{- $to := $g.redis | default (list (dict "podSelector" (dict "matchLabels" (dict "app.kubernetes.io/name" "redis" "app.kubernetes.io/instance" .Release.Name)))) -}}
{{- $rules = append $rules (dict "to" $to "ports" (list (dict "port" ($g.redisPort | default 6379 | int) "protocol" "TCP"))) -}}
{{- end -}}
{{- if $own.services -}}
{{- $to := list -}}
{{- range $own.services -}}
{{- $to = append $to (dict "podSelector" (dict "matchLabels" (dict "app.kubernetes.io/name" . "app.kubernetes.io/instance" $.Release.Name))) -}}
{{- end -}}
{{- /* Any port of those Pods: their own ingress policies name the port. */ -}}
{{- $rules = append $rules (dict "to" $to) -}}
{{- end -}}
{{- if dig "internet" "enabled" false $own -}}
{{- $v4 := list -}}
{{- $v6 := list -}}
{{- range $own.internet.except -}}
{{- if contains ":" . }}{{ $v6 = append $v6 . }}{{ else }}{{ $v4 = append $v4 . }}{{ end -}}
{{- end -}}
{{- $to := list (dict "ipBlock" (dict "cidr" "0.0.0.0/0" "except" $v4)) (dict "ipBlock" (dict "cidr" "::/0" "except" $v6)) -}}
{{- $rule := dict "to" $to -}}
{{- with $own.internet.ports }}{{ $_ := set $rule "ports" . }}{{ end -}}
{{- $rules = append $rules $rule -}}
{{- end -}}
{{- range ($g.extraRules | default list) }}{{ $rules = append $rules . }}{{ end -}}
{{- range ($own.extraRules | default list) }}{{ $rules = append $rules . }}{{ end -}}
{{- toYaml $rules -}}
{{- end -}}

{{/* The cluster DNS of kubeadm, EKS, GKE, AKS and k3s: kube-dns/CoreDNS Pods in kube-system. */}}
{{- define "expe-lib.defaultDnsPeers" -}}
- namespaceSelector:
    matchLabels:
      kubernetes.io/metadata.name: kube-system
  podSelector:
    matchLabels:
      k8s-app: kube-dns
{{- end -}}
