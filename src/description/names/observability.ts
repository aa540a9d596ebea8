/** Names of the monitoring objects: PodMonitors, rules, dashboards, alert routing and the metrics they read. */

import type { PlatformIdentity } from './workloads';
import { WORKLOAD_LABEL } from './labels';

/** Path of the Prometheus stats of Istio's Envoy pods on {@link PROXY_METRICS_PORT} (with sidecars: merged with the app's). */
export const PROXY_METRICS_PATH = '/stats/prometheus';
/** Container port name Istio's injection gives the sidecar's Envoy stats (15090); the monitors select the container by it. */
export const ENVOY_STATS_PORT_NAME = 'http-envoy-prom';
/** Labels of ztunnel's pods, in Istio's namespace (ambient's L4 metrics). */
export const ZTUNNEL_SELECTOR: Readonly<Record<string, string>> = { app: 'ztunnel' };

/** Pod labels the PodMonitors copy onto every series (`podTargetLabels`): the service and version, as Istio names them. */
export const COPIED_POD_LABELS = [WORKLOAD_LABEL, 'version'] as const;
/** PodMonitor and PrometheusRule of a service. */
export const serviceMonitorName = (service: string) => service;
/** The UID of a service's Grafana dashboard (also its URL path `/d/<uid>`). */
export const dashboardUid = (platform: PlatformIdentity, service: string) => `${platform.name}-${service}`;
/** The HorizontalPodAutoscaler KEDA creates and owns for a ScaledObject (KEDA's default name). */
export const kedaAutoscalerName = (scaledObject: string) => `keda-hpa-${scaledObject}`;
/** ConfigMap carrying a Grafana dashboard for the dashboard sidecar. */
export const dashboardConfigMapName = (dashboardUid: string) => `${dashboardUid}-dashboard`;
/** The UID of the platform's overview dashboard. */
export const overviewDashboardUid = (platform: PlatformIdentity) => `${platform.name}-overview`;
/** Secret holding the Alertmanager webhook URL (created by Pulumi from secret config, never synthesized). */
export const alertWebhookSecretName = (platform: PlatformIdentity) => `${platform.name}-alert-webhook`;
/** Key of the webhook URL in {@link alertWebhookSecretName}. */
export const ALERT_WEBHOOK_URL_KEY = 'url';
