import { LATENCY_BUCKETS } from '../../services/kit/metric-vocabulary';
import {
  RECORDED, autoscalerBound, burnRateCondition, cpuCoresPerPod, deploymentReplicas, errorBudgetRemaining, errorRatioOrZero, trafficShare, errorRatio, latencyCondition, latencyQuantile, queryTarget, recorded, requestRate, scalingRequestRate,
  slowRatio, targetsDown,
} from '../../src/observability/queries';
import { promqlSyntaxErrors } from '../support/promql';

const service = { name: 'order-service', health: { liveness: '/healthz', readiness: '/readyz', startupSeconds: 30 } };
const target = queryTarget({ name: 'shop', namespace: 'shop' }, service);

describe('queries', () => {
  it('select the service by the labels the kit writes, leave out probes and scrapes, and count 5xx by status_code', () => {
    expect(errorRatio(target, '5m')).toBe(
      'sum by (namespace, service, version) (rate(http_requests_total{namespace="shop",service="order-service",route!~"/healthz|/readyz|/metrics",status_code=~"5.."}[5m]))'
      + ' / sum by (namespace, service, version) (rate(http_requests_total{namespace="shop",service="order-service",route!~"/healthz|/readyz|/metrics"}[5m]))',
    );
    expect(errorRatio(target, '5m')).not.toContain('status=');
  });

  it('read the bucket of a whole-second threshold whether Prometheus normalized `le` to "1.0" or kept "1"', () => {
    expect(slowRatio(target, 1, '5m')).toContain('le=~"1(\\\\.0)?"');
    expect(slowRatio(target, 0.5, '5m')).toContain('le="0.5"');
  });

  it('burn-rate conditions compare both windows with the budget times the factor, without floating-point noise', () => {
    const condition = burnRateCondition(target, { long: '1h', short: '5m', factor: 14.4 }, 0.001);
    expect(condition).toContain(`${recorded(RECORDED.errorRatio('1h'), target)} > 0.0144`);
    expect(condition).toContain(`${recorded(RECORDED.errorRatio('5m'), target)} > 0.0144`);
  });

  it('a version target narrows every selector to that version', () => {
    const v2 = { ...target, version: 'v2' };
    expect(scalingRequestRate(v2)).toContain('version="v2"');
    expect(targetsDown(v2)).toBe('(sum(up{namespace="shop",app="order-service",version="v2"}) or vector(0)) == 0');
  });

  it('every builder produces PromQL that Prometheus\' grammar parses', () => {
    const expressions = [
      requestRate(target, '5m'), errorRatio(target, '1h', ['namespace', 'service']), latencyQuantile(target, 0.99, '5m'),
      ...LATENCY_BUCKETS.map((bucket) => slowRatio(target, bucket, '30m')),
      scalingRequestRate({ ...target, version: 'v1' }), targetsDown(target),
      burnRateCondition(target, { long: '3d', short: '6h', factor: 1 }, 0.005), errorBudgetRemaining(target, 0.001, '30d'), latencyCondition(target, 99.9, { long: '1h', short: '5m' }),
    ];
    for (const expression of expressions) expect({ expression, errors: promqlSyntaxErrors(expression) }).toEqual({ expression, errors: [] });
    expect(promqlSyntaxErrors('sum by (version (rate(x[5m]))')).not.toEqual([]);
  });

  it('dashboard queries: 0 rather than no value without 5xx, the budget left from the objective, process metrics without routes', () => {
    expect(errorRatioOrZero(target, '5m')).toBe(`(${errorRatio(target, '5m').split(' / ')[0]} or ${requestRate(target, '5m')} * 0) / ${requestRate(target, '5m')}`);
    // From the recorded 5m rates summed over 30 days, not from 30 days of raw counters.
    const overThirtyDays = (name: string) => `sum by (namespace, service) (sum_over_time(${name}{namespace="shop",service="order-service"}[30d]))`;
    const requests = overThirtyDays('service_version:http_requests_total:rate5m');
    expect(errorBudgetRemaining(target, 0.001, '30d'))
      .toBe(`1 - ((${overThirtyDays('service_version:http_requests_total_errors:rate5m')} or ${requests} * 0) / ${requests}) / 0.001`);
    expect(errorBudgetRemaining(target, 0.001, '30d')).not.toContain('http_requests_total{');
    expect(cpuCoresPerPod(target, '5m')).toBe('max by (namespace, service, version) (rate(process_cpu_seconds_total{namespace="shop",service="order-service"}[5m]))');
    expect(trafficShare(target, '5m')).toContain(' / on (namespace, service) group_left sum by (namespace, service) (');
    expect(deploymentReplicas('shop', 'order-service-v1')).toBe('max(kube_deployment_status_replicas{namespace="shop",deployment="order-service-v1"})');
    expect(autoscalerBound('max', 'shop', 'keda-hpa-order-service-v1'))
      .toBe('max(kube_horizontalpodautoscaler_spec_max_replicas{namespace="shop",horizontalpodautoscaler="keda-hpa-order-service-v1"})');
  });
});
