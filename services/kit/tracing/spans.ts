import {
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapPropagator,
  type Tracer,
  defaultTextMapGetter,
  defaultTextMapSetter,
  trace,
} from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';

/**
 * The trace-context headers (W3C Trace Context and B3): a service that records its own spans replaces them on every
 * outgoing call with its own span's context instead of copying them (see `traceHeaders`).
 */
export const TRACE_CONTEXT_HEADERS = [
  'traceparent',
  'tracestate',
  'x-b3-traceid',
  'x-b3-spanid',
  'x-b3-parentspanid',
  'x-b3-sampled',
  'x-b3-flags',
  'b3',
] as const;

/** How a call to another service ended: its answer's status, or the error that prevented one. */
export type CallOutcome = { readonly statusCode: number } | { readonly error: Error };

/** Request headers as Node.js parses them (lower-case names). */
type IncomingHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** `peer.service` (OpenTelemetry's name for the logical service called): Jaeger draws its dependency graph from it. */
const ATTR_PEER_SERVICE = 'peer.service';

/**
 * A service's own spans, following OpenTelemetry's HTTP semantic conventions: one server span per request (child of
 * the caller's context in the request's headers) and one client span per call to another service (child of the
 * context in the headers handed to the call, which carries the server span; see `traceHeaders`). Context travels in
 * those headers, not in an async-local store, so it works the same in every process and in the bundled images.
 * Built only when a backend is configured (`startTracing`).
 */
export class Tracing {
  /**
   * @param tracer creates the spans (from the SDK's provider, or a test's)
   * @param propagator reads and writes the trace-context headers (W3C Trace Context and B3)
   */
  constructor(
    private readonly tracer: Tracer,
    private readonly propagator: TextMapPropagator,
  ) {}

  /** Starts the server span of an incoming request; {@link Tracing.endServerSpan} names it after its route. */
  startServerSpan(method: string, url: string, headers: IncomingHeaders): Span {
    const parent = this.propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
    const attributes = { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_PATH]: url.split('?')[0] };
    return this.tracer.startSpan(method, { kind: SpanKind.SERVER, attributes }, parent);
  }

  /**
   * Ends a server span: named `<method> <route template>` (`POST /orders`; only the method for unmatched paths, so
   * names stay few), with `http.route` and the status; a 5xx marks it failed.
   */
  endServerSpan(span: Span, method: string, route: string | undefined, statusCode: number): void {
    if (route !== undefined) span.updateName(`${method} ${route}`).setAttribute(ATTR_HTTP_ROUTE, route);
    finish(span, statusCode, statusCode >= 500);
  }

  /**
   * Starts the client span of a call to `peer` and writes its context into `headers`, replacing the trace context
   * they carried (which becomes the span's parent).
   * @returns ends the span with the answer's status (a 4xx or 5xx marks it failed), or the error that prevented one
   */
  startClientSpan(peer: string, method: string, url: URL, headers: Record<string, string>): (outcome: CallOutcome) => void {
    const parent = this.propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
    const span = this.tracer.startSpan(
      method,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: method,
          [ATTR_URL_FULL]: url.href,
          [ATTR_SERVER_ADDRESS]: url.hostname,
          [ATTR_SERVER_PORT]: Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
          [ATTR_PEER_SERVICE]: peer,
        },
      },
      parent,
    );
    this.inject(span, headers);
    return (outcome) => {
      if ('statusCode' in outcome) return finish(span, outcome.statusCode, outcome.statusCode >= 400);
      span.recordException(outcome.error);
      span.setAttribute(ATTR_ERROR_TYPE, outcome.error.name).setStatus({ code: SpanStatusCode.ERROR, message: outcome.error.message });
      span.end();
    };
  }

  /** Replaces the trace-context headers in `headers` with `span`'s context. */
  inject(span: Span, headers: Record<string, string>): void {
    for (const name of TRACE_CONTEXT_HEADERS) delete headers[name];
    this.propagator.inject(trace.setSpan(ROOT_CONTEXT, span), headers, defaultTextMapSetter);
  }
}

function finish(span: Span, statusCode: number, failed: boolean): void {
  span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
  if (failed) span.setAttribute(ATTR_ERROR_TYPE, String(statusCode)).setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
