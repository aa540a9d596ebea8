/**
 * How a service's new versions reach its users, per environment: `static` (explicit versions with weights; the
 * platform owns routing) or `progressive` (one Deployment; Flagger steps traffic to a new pod template while the
 * service's SLOs hold, and rolls back when they don't). Cross-field rules are in `delivery-rules.ts`; what is generated
 * in src/delivery (docs/delivery.md).
 */
import { z } from 'zod';
import { DNS_LABEL_PATTERN } from './formats';
import { CRD_SOURCES } from './observability-schema';

/** Delivery modes: `static` (the platform routes by the description's weights) or `progressive` (Flagger). */
export const DELIVERY_MODES = ['static', 'progressive'] as const;

/** Where the canary analysis reads request outcomes from. */
export const ANALYSIS_SOURCES = ['mesh', 'app'] as const;
/** One of `ANALYSIS_SOURCES`. */
export type AnalysisSource = (typeof ANALYSIS_SOURCES)[number];

/** Flagger's webhook types (docs.flagger.app, "Webhooks"). */
export const WEBHOOK_TYPES = ['confirm-rollout', 'pre-rollout', 'rollout', 'confirm-traffic-increase', 'confirm-promotion', 'post-rollout', 'rollback', 'event'] as const;

/** A duration as Flagger and Prometheus write it (one whole unit). */
const promDuration = z.string().regex(/^\d+[smh]$/, 'must be a duration such as "30s", "1m" or "1h"');
const weight = z.number().int('weights must be whole percentages').min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100');

/** One Flagger webhook, called at its point of the rollout. */
const webhook = z.strictObject({
  /** Webhook name, unique in the service. */
  name: z.string().regex(DNS_LABEL_PATTERN, 'webhook name must be a lowercase DNS label'),
  /** When Flagger calls it (Flagger's `type`). @default "rollout" (before every step's analysis) */
  type: z.enum(WEBHOOK_TYPES).default('rollout'),
  /** URL Flagger posts to; a non-2xx answer halts (or, for `rollback`, rolls back) the canary. */
  url: z.url({ message: 'must be a URL such as "http://flagger-loadtester.test/"' }),
  /** How long Flagger waits for an answer. @default "30s" */
  timeout: promDuration.default('30s'),
  /** Extra key-value pairs Flagger sends in the body (`metadata`). @default {} */
  metadata: z.record(z.string(), z.string()).default({}),
});

/** `static`: today's explicit versions and weights (`canary`), routed by the platform. */
const staticDelivery = z.strictObject({
  /** Delivery mode. */
  mode: z.literal('static'),
});

/** `progressive`: Flagger runs the rollout of the service's one Deployment. */
const progressiveDelivery = z.strictObject({
  /** Delivery mode. */
  mode: z.literal('progressive'),
  /**
   * Traffic added to the canary at each step, percent (Flagger's `stepWeight`); leave it out when `stepWeights` is set.
   * @default 10, unless `stepWeights` is set
   */
  stepWeight: weight.optional(),
  /** The canary's weight at each step, increasing (Flagger's `stepWeights`), e.g. [5, 10, 25, 50]. @default none: `stepWeight` steps */
  stepWeights: z.array(weight).min(1).optional(),
  /** Highest canary weight before promotion, percent (Flagger's `maxWeight`). @default 50 */
  maxWeight: weight.default(50),
  /** Time between steps, and the window of each check (Flagger's `interval`). @default "1m" */
  interval: promDuration.default('1m'),
  /** Failed checks before Flagger rolls back (Flagger's `threshold`). @default 5 */
  threshold: z.number().int().min(1).max(100).default(5),
  /**
   * Where success rate and latency are read: `mesh` (Istio's `istio_requests_total` and request-duration histogram, with
   * the labels of the environment's data plane) or `app` (the services' own `http_requests_total` and
   * `http_request_duration_seconds`, with or without a mesh).
   * @default "mesh"
   */
  analysisSource: z.enum(ANALYSIS_SOURCES).default('mesh'),
  /** Roll back while one of the service's SLO alerts (its PrometheusRule) fires. @default true */
  rollbackOnAlerts: z.boolean().default(true),
  /** Flagger webhooks (load tests, manual gates, notifications). @default [] */
  webhooks: z.array(webhook).default([]),
});

/** What an environment's progressive delivery needs of the cluster (the platform-level `delivery` block). */
export const environmentDeliverySchema = z.strictObject({
  /**
   * `install`: the Pulumi program installs Flagger's CRDs (Canary, MetricTemplate, AlertProvider; imports/crds) before
   * the objects that need them, and keeps them on destroy; `present`: the cluster has them (e.g. from Flagger's Helm
   * chart). Only for an environment with a progressive service; Flagger itself is the cluster's.
   * @default "install"
   */
  crds: z.enum(CRD_SOURCES).default('install'),
});

/** A service's delivery in one environment. */
export const deliverySchema = z.discriminatedUnion('mode', [staticDelivery, progressiveDelivery]);

/** The resolved delivery of a service. */
export type DeliverySpec = z.output<typeof deliverySchema>;
/** The resolved progressive delivery of a service. */
export type ProgressiveDelivery = Extract<DeliverySpec, { mode: 'progressive' }>;

/** Step weight when neither `stepWeight` nor `stepWeights` is set. */
export const DEFAULT_STEP_WEIGHT = 10;

/** The canary's steps in words, for people: `20% a step`, or `steps of 5%, 10%, 25%`. */
export function describeSteps(delivery: ProgressiveDelivery): string {
  return delivery.stepWeights ? `steps of ${delivery.stepWeights.join('%, ')}%` : `${delivery.stepWeight ?? DEFAULT_STEP_WEIGHT}% a step`;
}

/** Whether a service is delivered progressively (Flagger owns its routing). */
export function isProgressive(service: { readonly delivery: DeliverySpec }): service is { readonly delivery: ProgressiveDelivery } {
  return service.delivery.mode === 'progressive';
}
