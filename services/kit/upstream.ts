import { HttpError } from './errors';
import type { Tracing } from './tracing/spans';

/** A JSON response from another service. */
export interface UpstreamResponse {
  /** HTTP status. */
  readonly status: number;
  /** Parsed JSON body; undefined when empty or not JSON (e.g. Envoy's plain-text `no healthy upstream`). */
  readonly body: unknown;
  /** The body as text. */
  readonly text: string;
}

/** One call to another service. */
export interface UpstreamRequest {
  /** HTTP method. @default 'GET' */
  readonly method?: 'GET' | 'POST';
  /** Path below the base URL, starting with `/`. */
  readonly path: string;
  /** Sent as JSON when present. */
  readonly body?: unknown;
  /** Extra headers: trace headers, `idempotency-key`. */
  readonly headers?: Record<string, string>;
  /** Aborts the call; a `TimeoutError` reason (from `AbortSignal.timeout`) is reported as 504. */
  readonly signal: AbortSignal;
}

/**
 * JSON over HTTP to one other service with Node's built-in fetch (undici: pooled keep-alive connections).
 * Transport failures become HttpErrors the caller can pass straight through: 503 when the service cannot be reached,
 * 504 when it does not answer in time.
 */
export class UpstreamClient {
  /**
   * @param name the other service's name, used in error messages
   * @param baseUrl e.g. `http://user-service:8080`, without trailing slash
   * @param tracing records a client span per call (the service's, when a trace backend is configured)
   */
  constructor(
    readonly name: string,
    readonly baseUrl: string,
    private readonly tracing?: Tracing,
  ) {}

  /** Sends the request and parses the JSON answer, whatever its status. */
  async call(request: UpstreamRequest): Promise<UpstreamResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const method = request.method ?? 'GET';
    const url = `${this.baseUrl}${request.path}`;
    const endSpan = this.tracing?.startClientSpan(this.name, method, new URL(url), headers);
    try {
      const response = await fetch(url, {
        method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: request.signal,
        // Services in the mesh do not redirect: following one would send the trace headers, the idempotency key and
        // the body to wherever the answer points. A 3xx is reported like any other unexpected answer.
        redirect: 'manual',
      });
      const text = await response.text();
      endSpan?.({ statusCode: response.status });
      return { status: response.status, body: parseJson(text), text };
    } catch (error) {
      const translated = this.translate(error, request.signal);
      endSpan?.({ error: translated });
      throw translated;
    }
  }

  /**
   * The error to answer with when the other service answered something the caller cannot use: 504 if it timed out
   * (e.g. Envoy's `upstream request timeout`), 503 otherwise, quoting its status and message.
   */
  unexpectedAnswer(response: UpstreamResponse): HttpError {
    const detail = errorMessageOf(response.body) ?? (response.text.slice(0, 200) || 'empty body');
    return new HttpError(response.status === 504 ? 504 : 503, `${this.name} answered ${response.status}: ${detail}`);
  }

  private translate(error: unknown, signal: AbortSignal): Error {
    if (signal.aborted) {
      const reason = signal.reason as Error | undefined;
      if (reason?.name === 'TimeoutError') return new HttpError(504, `${this.name} did not answer in time`);
      return new HttpError(503, `call to ${this.name} was cancelled`);
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message ?? String(error);
    return new HttpError(503, `${this.name} is unavailable (${detail})`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The `message` of a `{ error, message }` body, if the body is one. */
export function errorMessageOf(body: unknown): string | undefined {
  const message = (body as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : undefined;
}
