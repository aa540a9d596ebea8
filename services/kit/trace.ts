import type { FastifyRequest } from 'fastify';

/**
 * Headers a service must copy from an incoming request to the requests it makes, so Envoy's spans join one trace:
 * W3C Trace Context, B3 (multi- and single-header) and Envoy's `x-request-id`. Istio cannot do this by itself because
 * it cannot tell which outgoing call belongs to which incoming request.
 */
export const PROPAGATED_HEADERS = [
  'traceparent',
  'tracestate',
  'x-request-id',
  'x-b3-traceid',
  'x-b3-spanid',
  'x-b3-parentspanid',
  'x-b3-sampled',
  'x-b3-flags',
  'b3',
] as const;

/**
 * The trace headers to send on outgoing calls made while serving `request`. `x-request-id` is always present:
 * the caller's value, or the id this service generated (which its logs carry as `reqId`).
 */
export function traceHeaders(request: FastifyRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of PROPAGATED_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  headers['x-request-id'] = request.id;
  return headers;
}
