/** The dead-query checker itself, against a stand-in for Prometheus' query API that knows a few live series. */
import { deadQueryProblems, seriesSelectors, type InstantQuery } from './support/live-queries';

/** Live series: order-service v1 and v2 requests, with status_code; nothing else. */
const LIVE = [
  { __name__: 'http_requests_total', service: 'order-service', version: 'v1', status_code: '200' },
  { __name__: 'http_requests_total', service: 'order-service', version: 'v2', status_code: '503' },
];

/** Answers a bare selector with the live series whose labels it names; any other expression with `answer`. */
function prometheus(answer: Record<string, string>[] = []): InstantQuery {
  return async (expr) => {
    const match = /^(\w+)\{(.*)\}$/.exec(expr);
    if (!match) return answer.map((metric) => ({ metric }));
    const matchers = [...match[2].matchAll(/(\w+)(=~|=)"([^"]*)"/g)];
    return LIVE.filter((series) => series.__name__ === match[1] && matchers.every(([, label, op, value]) =>
      op === '=' ? series[label as keyof typeof series] === value : new RegExp(`^(?:${value})$`).test(series[label as keyof typeof series] ?? '')))
      .map((metric) => ({ metric }));
  };
}

const errors = 'sum by (service, version) (rate(http_requests_total{service="order-service",status_code=~"5.."}[5m]))';

test('selectors are read with Prometheus\' grammar, inside range vectors and functions too', () => {
  expect(seriesSelectors(`${errors} / sum(rate(http_requests_total{service="order-service"}[5m])) or absent(up{job="x"})`)).toEqual([
    'http_requests_total{service="order-service",status_code=~"5.."}', 'http_requests_total{service="order-service"}', 'up{job="x"}',
  ]);
});

test('a label typo and a renamed metric are reported by the name of the expression that holds them', async () => {
  const queries = [
    { name: 'rule group order-service.recording, record errors', expr: errors, mustReturnData: false },
    { name: 'dashboard order-service, panel Error ratio', expr: errors.replace('status_code', 'status'), mustReturnData: false },
    { name: 'ScaledObject order-service-v1, trigger 0', expr: 'sum(rate(http_request_total{service="order-service"}[2m]))', mustReturnData: false },
  ];
  expect(await deadQueryProblems(queries, prometheus())).toEqual([
    'dashboard order-service, panel Error ratio: selector http_requests_total{service="order-service",status=~"5.."} matches no live series',
    'ScaledObject order-service-v1, trigger 0: selector http_request_total{service="order-service"} matches no live series',
  ]);
});

test('an expression that must return data is checked for data, its labels and a series per compared workload', async () => {
  const query = { name: 'record rate5m', expr: 'sum by (service, version) (rate(http_requests_total{service="order-service"}[5m]))', mustReturnData: true };
  expect(await deadQueryProblems([query], prometheus())).toEqual(['record rate5m: returns no data']);
  const onlyV1 = prometheus([{ service: 'order-service', version: 'v1' }]);
  expect(await deadQueryProblems([{ ...query, labels: ['service', 'namespace'], compares: { label: 'version', values: ['v1', 'v2'] } }], onlyV1)).toEqual([
    'record rate5m: 1 of 1 series lack the label namespace',
    'record rate5m: no series for version v2 (got v1)',
  ]);
  const primaryOnly = prometheus([{ service: 'order-service', version: 'v2', app: 'order-service-primary' }]);
  expect(await deadQueryProblems([{ ...query, compares: { label: 'app', values: ['order-service-primary', 'order-service'] } }], primaryOnly))
    .toEqual(['record rate5m: no series for app order-service (got order-service-primary)']);
});

test('a selector the traffic cannot make live is checked through its substitute, which must match', async () => {
  const fiveHundreds = { name: 'user errors', expr: 'http_requests_total{service="order-service",status_code=~"4.."}', mustReturnData: false };
  expect(await deadQueryProblems([fiveHundreds], prometheus(), (s) => s.replace('"4.."', '".+"'))).toEqual([]);
  expect(await deadQueryProblems([fiveHundreds], prometheus(), (s) => s.replace('status_code', 'status'))).toHaveLength(1);
});
