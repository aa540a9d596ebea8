import { STATUS_CODES } from 'node:http';

/** The JSON body of every error response: the status text and a human-readable message. */
export interface ErrorBody {
  /** Status text, e.g. `Bad Request`. */
  readonly error: string;
  /** What went wrong, e.g. `body must have required property 'email'`. */
  readonly message: string;
}

/** An error that carries the HTTP status it should be answered with; its message is shown to the caller. */
export class HttpError extends Error {
  /**
   * @param statusCode HTTP status, 400..599
   * @param message shown to the caller verbatim
   */
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
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
