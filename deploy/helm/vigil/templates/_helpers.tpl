{{/* The release's base name, cut to Kubernetes' 63 characters. */}}
{{- define "vigil.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* A role's kebab-case name: workerFast -> worker-fast. */}}
{{- define "vigil.roleName" -}}
{{- . | kebabcase -}}
{{- end -}}

{{- define "vigil.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{ include "vigil.commonLabels" . }}
{{- end -}}

{{/* Labels beside the selector labels (pod templates add the selector labels themselves). */}}
{{- define "vigil.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: vigil
{{- end -}}

{{/* Selector labels of one role; call with (dict "root" $ "role" "worker-fast"). */}}
{{- define "vigil.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .role }}
{{- end -}}

{{- define "vigil.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "vigil.tokensSecret" -}}
{{- .Values.tokens.existingSecret | default (printf "%s-tokens" (include "vigil.fullname" .)) -}}
{{- end -}}

{{- define "vigil.databaseSecret" -}}
{{- .Values.database.existingSecret | default (printf "%s-database" (include "vigil.fullname" .)) -}}
{{- end -}}

{{/* The database's address and credentials: for migrate, the token job's peers, scheduler, api. */}}
{{- define "vigil.databaseEnv" -}}
- name: VIGIL_DATABASE_URL
  value: {{ .Values.database.url | quote }}
- name: VIGIL_DATABASE_USER
  valueFrom:
    secretKeyRef:
      name: {{ include "vigil.databaseSecret" . }}
      key: {{ .Values.database.userKey }}
- name: VIGIL_DATABASE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "vigil.databaseSecret" . }}
      key: {{ .Values.database.passwordKey }}
{{- end -}}

{{- define "vigil.kafkaEnv" -}}
- name: VIGIL_KAFKA_BOOTSTRAP
  value: {{ .Values.kafka.bootstrapServers | quote }}
- name: VIGIL_KAFKA_TOPIC_PREFIX
  value: {{ .Values.kafka.topicPrefix | quote }}
- name: VIGIL_KAFKA_PARTITIONS
  value: {{ .Values.kafka.partitions | quote }}
- name: VIGIL_KAFKA_REPLICATION_FACTOR
  value: {{ .Values.kafka.replicationFactor | quote }}
{{- end -}}

{{/* What a worker needs: results API, service token, config source. No database. */}}
{{- define "vigil.workerEnv" -}}
{{- $api := printf "http://%s-api:%v/" (include "vigil.fullname" .) .Values.apiPort -}}
- name: VIGIL_RESULTS_URL
  value: {{ $api | quote }}
- name: VIGIL_SERVICE_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "vigil.tokensSecret" . }}
      key: {{ .Values.tokens.serviceTokenKey }}
- name: VIGIL_CONFIG_SOURCE_URL
  value: {{ .Values.configSource.url | default (printf "%sinternal/" $api) | quote }}
- name: VIGIL_CONFIG_SOURCE_TIMEOUT
  value: {{ .Values.configSource.timeout | quote }}
{{- if .Values.configSource.tokenSecret }}
- name: VIGIL_CONFIG_SOURCE_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ .Values.configSource.tokenSecret }}
      key: {{ .Values.configSource.tokenKey }}
{{- else if not .Values.configSource.url }}
- name: VIGIL_CONFIG_SOURCE_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "vigil.tokensSecret" . }}
      key: {{ .Values.tokens.serviceTokenKey }}
{{- end }}
{{- end -}}

{{- define "vigil.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
{{- end -}}

{{/* Egress peers. */}}
{{- define "vigil.egressDns" -}}
- to:
    - namespaceSelector: {}
      podSelector:
        matchLabels:
          k8s-app: kube-dns
  ports:
    - {port: 53, protocol: UDP}
    - {port: 53, protocol: TCP}
{{- end -}}

{{- define "vigil.egressKafka" -}}
- to:
    - namespaceSelector:
        {{- toYaml .Values.kafka.networkPolicy.namespaceSelector | nindent 8 }}
      podSelector:
        matchLabels:
          {{- toYaml .Values.kafka.networkPolicy.podSelector | nindent 10 }}
  ports:
    - {port: {{ .Values.kafka.networkPolicy.port }}, protocol: TCP}
{{- end -}}

{{- define "vigil.egressDatabase" -}}
- to:
    - namespaceSelector:
        {{- toYaml .Values.database.networkPolicy.namespaceSelector | nindent 8 }}
      podSelector:
        matchLabels:
          {{- toYaml .Values.database.networkPolicy.podSelector | nindent 10 }}
  ports:
    - {port: {{ .Values.database.networkPolicy.port }}, protocol: TCP}
{{- end -}}

{{/* Hook annotations of the pre-install/pre-upgrade resources; (dict "root" $ "weight" N "delete" POLICY).
     With helmHooks false they are plain resources, for `helm template | kubectl apply`. */}}
{{- define "vigil.hook" -}}
{{- if .root.Values.helmHooks }}
annotations:
  helm.sh/hook: pre-install,pre-upgrade
  helm.sh/hook-weight: {{ .weight | quote }}
  helm.sh/hook-delete-policy: {{ .delete }}
{{- end }}
{{- end -}}
