import { Registry } from 'prom-client';
import { RequestSeries } from '../../../services/kit/request-series';

describe('RequestSeries', () => {
  it('exports cumulative buckets, +Inf, sum and count per label set, and counts requests', async () => {
    const registry = new Registry();
    const series = new RequestSeries(registry);
    for (const seconds of [0.003, 0.02, 20]) series.observe('GET', '/users/:id', 200, seconds);
    series.observe('POST', '/register', 409, 0.001);
    const text = await registry.metrics();
    const get = 'method="GET",route="/users/:id",status_code="200"';
    expect(text).toContain(`http_request_duration_seconds_bucket{${get},le="0.005"} 1`);
    expect(text).toContain(`http_request_duration_seconds_bucket{${get},le="0.025"} 2`);
    expect(text).toContain(`http_request_duration_seconds_bucket{${get},le="10"} 2`);
    expect(text).toContain(`http_request_duration_seconds_bucket{${get},le="+Inf"} 3`);
    expect(text).toContain(`http_request_duration_seconds_sum{${get}} 20.023`);
    expect(text).toContain(`http_request_duration_seconds_count{${get}} 3`);
    expect(text).toContain(`http_requests_total{${get}} 3`);
    expect(text).toContain('http_requests_total{method="POST",route="/register",status_code="409"} 1');
  });

  it('starts again from zero when the registry is reset', async () => {
    const registry = new Registry();
    const series = new RequestSeries(registry);
    series.observe('GET', '/healthz', 200, 0.001);
    registry.resetMetrics();
    expect(await registry.metrics()).not.toContain('route="/healthz"');
  });
});
