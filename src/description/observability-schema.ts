/**
 * The observability part of the description: each service's SLOs (with the environment's defaults), and per
 * environment where Prometheus, Alertmanager and the trace backend run. Cross-field rules are in
 * `observability-rules.ts`; what is generated from it in src/observability (docs/observability.md).
 */
import { z } from 'zod';
import { DNS_LABEL_PATTERN } from './formats';

const dnsLabel = (what: string) =>
  z.string().regex(DNS_LABEL_PATTERN, `${what} must be a lowercase DNS label (a-z, 0-9, '-'; at most 63 characters)`);
const labels = z.record(z.string(), z.string());
/** A duration as Prometheus and Alertmanager write it (one whole unit). */
const promDuration = z.string().regex(/^\d+[smh]$/, 'must be a duration such as "30s", "5m" or "1h"');

/** A service's latency objective: `percentile` percent of requests answered within `thresholdMs`. */
const latencyObjective = z.strictObject({
  /** Percent of requests that must be at least this fast, e.g. 99 for p99. */
  percentile: z.number().gt(0, 'must be above 0').lt(100, 'must be below 100'),
  /** Threshold in milliseconds; must be a bucket bound of the services' latency histogram (services/kit/metric-vocabulary.ts). */
  thresholdMs: z.number().positive(),
});

/** The SLOs of a service; every field left out takes the environment's `slo` default. */
export const serviceSloSchema = z.strictObject({
  /**
   * Availability objective: percent of requests answered without a 5xx over the 30-day SLO window, e.g. 99.9.
   * @default the environment's `slo.availabilityPercent`
   */
  availabilityPercent: z.number().gt(0, 'must be above 0').lt(100, 'must be below 100 (100% leaves no error budget to alert on)').optional(),
  /** Latency objective. @default the environment's `slo.latency` */
  latency: latencyObjective.partial().optional(),
});

/** The SLO every service gets unless it sets its own. */
export const sloDefaultsSchema = z.strictObject({
  /** Availability objective, percent of non-5xx requests over 30 days. @default 99.5 */
  availabilityPercent: z.number().gt(0, 'must be above 0').lt(100, 'must be below 100 (100% leaves no error budget to alert on)').default(99.5),
  /** Latency objective. @default { percentile: 99, thresholdMs: 500 } */
  latency: z.strictObject({
    /** Percent of requests within the threshold. @default 99 */
    percentile: latencyObjective.shape.percentile.default(99),
    /** Threshold, milliseconds (a histogram bucket bound). @default 500 */
    thresholdMs: latencyObjective.shape.thresholdMs.default(500),
  }).prefault({}),
});

/** The Prometheus that scrapes the platform, run by the Prometheus Operator. */
const prometheus = z.strictObject({
  /** Namespace of the Prometheus pods. @default "monitoring" */
  namespace: dnsLabel('prometheus namespace').default('monitoring'),
  /** Labels of the Prometheus pods (the NetworkPolicies admit their scrapes). @default { "app.kubernetes.io/name": "prometheus" } */
  selector: labels.default({ 'app.kubernetes.io/name': 'prometheus' }),
  /**
   * ServiceAccount of the Prometheus pods: in ambient mode Prometheus runs in the mesh and ztunnel admits its
   * principal to the services' metrics port. @default "prometheus"
   */
  serviceAccount: z.string().min(1).default('prometheus'),
  /**
   * Labels put on the PodMonitors, so that the Prometheus resource's `podMonitorSelector` picks them (and
   * `podMonitorNamespaceSelector` must admit the platform namespace). @default {}
   */
  monitorLabels: labels.default({}),
  /** Labels put on the PrometheusRules, for the Prometheus resource's `ruleSelector`. @default {} */
  ruleLabels: labels.default({}),
  /** Prometheus' HTTP API, read by KEDA's Prometheus triggers. @default "http://prometheus-operated.<namespace>.svc:9090" */
  url: z.url().optional(),
  /** Base URL of the Grafana that shows the platform's dashboards, linked from alerts. @default "/grafana" (relative) */
  grafanaUrl: z.string().min(1).default('/grafana'),
  /**
   * Where the alerts' runbooks are (docs/observability.md, one section per alert), e.g. the file's URL in your
   * repository host. @default "docs/observability.md" (its path in this repository)
   */
  runbookUrl: z.string().min(1).default('docs/observability.md'),
});

/** Where alerts go: an Alertmanager webhook receiver whose URL is a Secret (Pulumi secret config, never in the output). */
const alerting = z.strictObject({
  /**
   * Labels put on the AlertmanagerConfig, for the Alertmanager resource's `alertmanagerConfigSelector`.
   * @default {}
   */
  configLabels: labels.default({}),
  /** How long Alertmanager waits to group a new page. @default "30s" */
  groupWait: promDuration.default('30s'),
  /** Repeat interval of a firing page. @default "1h" */
  pageRepeatInterval: promDuration.default('1h'),
  /** Repeat interval of a firing ticket. @default "12h" */
  ticketRepeatInterval: promDuration.default('12h'),
});

/** OTLP protocols: OTLP/gRPC (port 4317 by convention) or OTLP/HTTP with protobuf bodies (4318). */
export const OTLP_PROTOCOLS = ['grpc', 'http/protobuf'] as const;

/** Where spans go: an OpenTelemetry collector, or Jaeger's collector, which receives OTLP itself. */
const tracingBackend = z.strictObject({
  /** Host of the backend's OTLP receiver, e.g. "otel-collector.observability.svc.cluster.local". */
  host: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a host name such as "otel-collector.observability.svc.cluster.local"'),
  /** Its OTLP port. @default 4317 (grpc) or 4318 (http/protobuf) */
  port: z.number().int().min(1).max(65535).optional(),
  /** OTLP protocol. @default "grpc" */
  protocol: z.enum(OTLP_PROTOCOLS).default('grpc'),
});

/** Tracing: where spans go and how many requests are traced. */
const tracing = z.strictObject({
  /**
   * Percent of requests traced (the Telemetry object; the services' `OTEL_TRACES_SAMPLER_ARG` as a ratio). The one
   * place of the sampling rate (formerly `istio.tracingSamplingPercent`). @default 1
   */
  samplingPercent: z.number().min(0, 'must be between 0 and 100').max(100, 'must be between 0 and 100').default(1),
  /** The trace backend. @default none: Envoy samples but reports nowhere, and the services export no spans */
  backend: tracingBackend.optional(),
});

/** The Grafana dashboards, shipped as ConfigMaps that Grafana's dashboard sidecar loads. */
const dashboards = z.strictObject({
  /**
   * Labels of the dashboard ConfigMaps: the sidecar loads ConfigMaps carrying its label (its `label` and `labelValue`
   * settings). @default { grafana_dashboard: "1" } (the sidecar's default)
   */
  configMapLabels: labels.default({ grafana_dashboard: '1' }),
  /**
   * Namespace of the dashboard ConfigMaps, e.g. Grafana's own; the sidecar must search it (kube-prometheus-stack:
   * `grafana.sidecar.dashboards.searchNamespace`). @default the platform's namespace
   */
  namespace: dnsLabel('dashboards namespace').optional(),
});

/** Where the cluster's CRDs for the monitoring objects come from. */
export const CRD_SOURCES = ['install', 'present'] as const;

/** Per environment: Prometheus, Alertmanager, tracing. Extends the former `monitoring` block. */
export const observabilitySchema = z.strictObject({
  /**
   * The Prometheus (Operator) that scrapes: with it the platform generates PodMonitors, PrometheusRules and (for
   * services with `autoscaling.requestsPerSecond`) KEDA ScaledObjects, and the NetworkPolicies admit its scrapes.
   * @default none: no monitoring objects, and NetworkPolicies block scraping
   */
  prometheus: prometheus.optional(),
  /** Alert routing (needs `prometheus`): an AlertmanagerConfig sending pages and tickets to a webhook. @default none */
  alerting: alerting.optional(),
  /** Tracing. */
  tracing: tracing.prefault({}),
  /** Grafana dashboards (with `prometheus`: a dashboard per service and a platform overview). */
  dashboards: dashboards.prefault({}),
  /**
   * `install`: the Pulumi program installs the Prometheus Operator's and KEDA's CRDs (imports/crds) before the objects
   * that need them; `present`: the cluster has them (e.g. from kube-prometheus-stack's and KEDA's Helm charts).
   * @default "install"
   */
  crds: z.enum(CRD_SOURCES).default('install'),
});

/** The resolved observability block. */
export type ObservabilitySpec = z.output<typeof observabilitySchema>;
/** A resolved SLO. */
export type SloSpec = z.output<typeof sloDefaultsSchema>;
