import type { Span } from '@opentelemetry/api';
import type { FastifyRequest } from 'fastify';
import { TRACE_CONTEXT_HEADERS, type Tracing } from './tracing/spans';

/**
 * Headers a service must copy from an incoming request to the requests it makes, so Envoy's spans join one trace:
 * W3C Trace Context, B3 (multi- and single-header) and Envoy's `x-request-id`. Istio cannot do this by itself because
 * it cannot tell which outgoing call belongs to which incoming request.
 */
export const PROPAGATED_HEADERS = [...TRACE_CONTEXT_HEADERS, 'x-request-id'] as const;

/** Where the kit keeps a request's server span (only when the service records spans). */
const SERVER_SPAN = Symbol('serverSpan');
type TracedRequest = FastifyRequest & { [SERVER_SPAN]?: { readonly span: Span; readonly tracing: Tracing } };

/** Remembers the server span of `request`, so that {@link traceHeaders} passes its context on. */
export function setServerSpan(request: FastifyRequest, span: Span, tracing: Tracing): void {
  (request as TracedRequest)[SERVER_SPAN] = { span, tracing };
}

/**
 * The trace headers to send on outgoing calls made while serving `request`. `x-request-id` is always present:
 * the caller's value, or the id this service generated (which its logs carry as `reqId`). Without a trace backend the
 * caller's trace headers are copied as they came; with one, the trace context is this request's server span (the
 * upstream client then makes its own client span the parent of the next hop).
 */
export function traceHeaders(request: FastifyRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of PROPAGATED_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  headers['x-request-id'] = request.id;
  const server = (request as TracedRequest)[SERVER_SPAN];
  server?.tracing.inject(server.span, headers);
  return headers;
}
