import { STATUS_CODES } from 'node:http';

/** The JSON body of every error response: the status text and a human-readable message. */
export interface ErrorBody {
  /** Status text, e.g. `Bad Request`. */
  readonly error: string;
  /** What went wrong, e.g. `body must have required property 'email'`. */
  readonly message: string;
}

/**
 * An error that carries the HTTP status it should be answered with. A 4xx's message is shown to the caller verbatim; a
 * 5xx's only goes to the log (it may name a database host or another service), the caller gets {@link publicMessage}.
 */
export class HttpError extends Error {
  /**
   * @param statusCode HTTP status, 400..599
   * @param message shown to the caller verbatim for a 4xx, logged for a 5xx
   */
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** What a caller is told of a 5xx: the kind of failure and whether to retry, never which dependency failed or where. */
const PUBLIC_5XX_MESSAGES: Readonly<Record<number, string>> = {
  503: 'service temporarily unavailable: retry later',
  504: 'a dependency did not answer in time: retry later',
};

/**
 * The message answered for an error of `statusCode` whose own message is `detail`: the detail for a 4xx (it is about
 * the request), a generic message per status for a 5xx (the detail names infrastructure and stays in the log).
 */
export function publicMessage(statusCode: number, detail: string): string {
  if (statusCode < 500) return detail;
  return PUBLIC_5XX_MESSAGES[statusCode] ?? 'internal server error';
}

/** Builds the error body for a status. */
export function errorBody(statusCode: number, message: string): ErrorBody {
  return { error: STATUS_CODES[statusCode] ?? 'Error', message };
}

/** JSON schema of {@link ErrorBody}, for route response schemas. */
export const errorBodySchema = {
  type: 'object',
  required: ['error', 'message'],
  properties: { error: { type: 'string' }, message: { type: 'string' } },
} as const;
