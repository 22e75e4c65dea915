{{/* Chart name, overridable. */}}
{{- define "berth.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Prefix of every resource name. Truncated to 50 so that names with a suffix ("-node-agent", "-metrics")
still fit the 63 characters of a DNS label, which Services and pod labels require.
*/}}
{{- define "berth.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "berth.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "berth.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: berth
{{- end }}

{{/* Selector labels of one component; call with (dict "ctx" $ "component" "operator"). */}}
{{- define "berth.selectorLabels" -}}
app.kubernetes.io/name: {{ include "berth.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "berth.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "berth.operator.serviceAccountName" -}}
{{- default (printf "%s-operator" (include "berth.fullname" .)) .Values.serviceAccount.operator.name }}
{{- end }}

{{- define "berth.nodeAgent.serviceAccountName" -}}
{{- default (printf "%s-node-agent" (include "berth.fullname" .)) .Values.serviceAccount.nodeAgent.name }}
{{- end }}

{{/* Leader election only pays off, and is only granted a Lease, with more than one replica. */}}
{{/* RuntimeClass handlers must be DNS labels, so berthd's default runtime is named explicitly. */}}
{{- define "berth.runtimeClass.handler" -}}
{{- default "runc" .Values.runtimeClass.handler }}
{{- end }}

{{/* The hostPath to mount: the directory of the CRI socket, so a restarted runtime's new socket is seen. */}}
{{- define "berth.nodeAgent.criSocketDir" -}}
{{- dir .Values.nodeAgent.criSocket }}
{{- end }}
