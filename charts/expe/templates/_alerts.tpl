{{- /*
The platform's alert rule groups: the PrometheusRule (alerts.enabled) and the in-cluster
Prometheus of observability.prometheus (its rules file) both render these.
*/}}
{{- define "expe.alertGroups" -}}
{{- $ns := printf "namespace=%q" .Release.Namespace }}
{{- $runbook := .Values.alerts.runbookBaseUrl -}}
- name: expe.platform
  rules:
    - alert: ExpeHighServerErrorRate
      expr: |
        sum by (namespace, service) (rate(http_server_request_duration_count{ {{- $ns }}, http_response_status_code=~"5.."}[5m]))
          / sum by (namespace, service) (rate(http_server_request_duration_count{ {{- $ns }}}[5m]))
          > {{ .Values.alerts.serverErrorRatio }}
      for: 10m
      labels:
        severity: critical
      annotations:
        runbook_url: {{ printf "%s#expehighservererrorrate" $runbook | quote }}
        summary: {{`'{{ $labels.service }} returns many 5xx responses'`}}
        description: {{`'{{ $labels.service }} answered {{ $value | humanizePercentage }} of its requests with 5xx over 5 minutes.'`}}
    - alert: ExpeWebhookFailureRateHigh
      expr: |
        (
          1 - sum(rate(webhook_deliveries_total{ {{- $ns }}, outcome="succeeded"}[15m]))
            / sum(rate(webhook_deliveries_total{ {{- $ns }}}[15m]))
        ) > {{ .Values.alerts.webhookFailureRatio }}
        and sum(rate(webhook_deliveries_total{ {{- $ns }}}[15m])) > 0
      for: 15m
      labels:
        severity: warning
      annotations:
        runbook_url: {{ printf "%s#expewebhookfailureratehigh" $runbook | quote }}
        summary: Many webhook deliveries fail
        description: {{`'{{ $value | humanizePercentage }} of webhook delivery attempts failed over 15 minutes; receivers may be down or rejecting signatures.'`}}
    - alert: ExpeWebhookQueueBacklog
      expr: |
        max(webhook_queue_oldest_job_age_seconds{ {{- $ns }}}) > {{ .Values.alerts.webhookQueueAgeSeconds }}
      for: 10m
      labels:
        severity: warning
      annotations:
        runbook_url: {{ printf "%s#expewebhookqueuebacklog" $runbook | quote }}
        summary: The webhook queue is falling behind
        description: {{`'The oldest undelivered webhook job is {{ $value | humanizeDuration }} old.'`}}
    - alert: ExpeLedgerReconciliationMismatch
      expr: |
        max(ledger_reconciliation_mismatches{ {{- $ns }}}) > 0
      labels:
        severity: critical
      annotations:
        runbook_url: {{ printf "%s#expeledgerreconciliationmismatch" $runbook | quote }}
        summary: Ledger reconciliation found a mismatch
        description: {{`'{{ $value }} ledger invariants failed at the last reconciliation: balances no longer equal their entries.'`}}
    - alert: ExpeServiceDown
      expr: |
        up{ {{- $ns }}, service=~"{{ .Release.Name }}-.*"} == 0
      for: 5m
      labels:
        severity: critical
      annotations:
        runbook_url: {{ printf "%s#expeservicedown" $runbook | quote }}
        summary: {{`'{{ $labels.service }} cannot be scraped'`}}
        description: {{`'Prometheus has not reached {{ $labels.pod }} of {{ $labels.service }} for 5 minutes.'`}}
    # up == 0 needs a target: a service whose Pods, Endpoints or ServiceMonitor vanished has
    # none, and only absent() notices. One rule per service the release runs.
    {{- range $service := list "gateway" "auth" "merchants" "payments" "webhooks" }}
    {{- if (index $.Values $service).enabled }}
    - alert: ExpeServiceTargetMissing
      expr: |
        absent(up{ {{- $ns }}, service="{{ $.Release.Name }}-{{ $service }}"})
      for: 10m
      labels:
        severity: critical
        service: {{ printf "%s-%s" $.Release.Name $service | quote }}
      annotations:
        runbook_url: {{ printf "%s#expeservicetargetmissing" $runbook | quote }}
        summary: {{ printf "%s-%s has no scrape target" $.Release.Name $service | quote }}
        description: {{ printf "Prometheus has seen no target of %s-%s for 10 minutes: no Pod is running, its Service has no endpoints, or its ServiceMonitor is gone." $.Release.Name $service | quote }}
    {{- end }}
    {{- end }}
{{- end -}}
