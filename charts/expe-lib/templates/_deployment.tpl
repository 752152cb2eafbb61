{{- define "expe-lib.deployment" -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "expe-lib.fullname" . }}
  labels:
    {{- include "expe-lib.labels" . | nindent 4 }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  selector:
    matchLabels:
      {{- include "expe-lib.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "expe-lib.labels" . | nindent 8 }}
        {{- with .Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        # Roll the pods when their configuration changes.
        checksum/config: {{ include "expe-lib.configmap" . | sha256sum }}
        {{- with .Values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "expe-lib.serviceAccountName" . }}
      # The services never call the Kubernetes API.
      automountServiceAccountToken: false
      {{- with include "expe-lib.imagePullSecrets" . }}
      {{- . | nindent 6 }}
      {{- end }}
      terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
      {{- with .Values.priorityClassName }}
      priorityClassName: {{ . | quote }}
      {{- end }}
      {{- with .Values.podSecurityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ include "expe-lib.name" . }}
          image: {{ include "expe-lib.image" . | quote }}
          imagePullPolicy: {{ include "expe-lib.imagePullPolicy" . }}
          {{- with include "expe-lib.command" . }}
          command:
            {{- . | nindent 12 }}
          {{- end }}
          ports:
            - name: http
              containerPort: {{ .Values.port }}
              protocol: TCP
            {{- range .Values.extraPorts }}
            - name: {{ .name }}
              containerPort: {{ .port }}
              protocol: TCP
            {{- end }}
          envFrom:
            - configMapRef:
                name: {{ include "expe-lib.fullname" . }}
          {{- $identity := .Values.identity | default dict }}
          {{- if or .Values.secretEnv .Values.extraEnv $identity.signs $identity.trusts }}
          env:
            {{- $secretName := include "expe-lib.secretName" . }}
            {{- range .Values.secretEnv }}
            - name: {{ . }}
              valueFrom:
                secretKeyRef:
                  name: {{ $secretName }}
                  key: {{ . }}
            {{- end }}
            {{- if $identity.signs }}
            # This deployable's own identity key (ADR 0008), from its own Secret.
            - name: IDENTITY_PRIVATE_KEY
              valueFrom:
                secretKeyRef:
                  name: {{ include "expe-lib.identitySecretName" . }}
                  key: IDENTITY_PRIVATE_KEY
            {{- end }}
            {{- range $identity.trusts }}
            - name: IDENTITY_PUBLIC_KEY_{{ upper . }}
              valueFrom:
                configMapKeyRef:
                  name: {{ include "expe-lib.identityPublicKeysName" $ }}
                  key: {{ . }}
            {{- end }}
            {{- with .Values.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- end }}
          {{- with .Values.securityContext }}
          securityContext:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          startupProbe:
            httpGet:
              path: {{ .Values.probes.livenessPath }}
              port: http
            periodSeconds: 2
            failureThreshold: {{ .Values.probes.startupFailureThreshold }}
          livenessProbe:
            httpGet:
              path: {{ .Values.probes.livenessPath }}
              port: http
            periodSeconds: 10
            timeoutSeconds: 2
            failureThreshold: 3
          readinessProbe:
            httpGet:
              path: {{ .Values.probes.readinessPath }}
              port: http
            periodSeconds: 5
            timeoutSeconds: 2
            failureThreshold: 2
          {{- if .Values.preStopSleepSeconds }}
          lifecycle:
            # Lets endpoints drop the pod before it stops accepting connections.
            preStop:
              sleep:
                seconds: {{ .Values.preStopSleepSeconds }}
          {{- end }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- with .Values.extraVolumeMounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
      volumes:
        # The root filesystem is read-only; Node and nginx still want a scratch directory.
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
        {{- with .Values.extraVolumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with .Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if .Values.topologySpread }}
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "expe-lib.selectorLabels" . | nindent 14 }}
      {{- end }}
{{- end -}}
