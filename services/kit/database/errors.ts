import { HttpError } from '../errors';

/** The service's database cannot be used right now; answered as 503 (retry later), logged at `warn`. */
export class DatabaseUnavailableError extends HttpError {
  /**
   * @param label the database as {@link DatabaseTarget.label} names it
   * @param reason e.g. `ECONNREFUSED`, `schema not migrated yet`
   */
  constructor(label: string, reason: string) {
    super(503, `database ${label} is unavailable (${reason}): retry later`);
    this.name = 'DatabaseUnavailableError';
  }
}

/** SQLSTATE classes that mean the server or the connection is unusable, not that the statement is wrong. */
const UNAVAILABLE_CLASSES = ['08', '53', '57'];

/**
 * Why a driver error means the database is unreachable: a Node.js network code (`ECONNREFUSED`), pg's connection
 * timeout, or a SQLSTATE of classes 08 (connection), 53 (resources) or 57 (operator intervention, e.g. shutdown).
 * @returns the reason, or undefined for errors of the statement itself (bugs: answered 500)
 */
export function unavailableReason(error: unknown): string | undefined {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    // Node.js codes start with E (ECONNREFUSED, EPIPE); no SQLSTATE class does.
    if (code.startsWith('E')) return code;
    return UNAVAILABLE_CLASSES.includes(code.slice(0, 2)) ? `SQLSTATE ${code}` : undefined;
  }
  // pg reports a lost or timed-out connection with plain Errors; the services' own errors are subclasses.
  if (Object.getPrototypeOf(error) !== Error.prototype || typeof message !== 'string') return undefined;
  return /timeout|terminated|Connection ended|not queryable/i.test(message) ? message : undefined;
}
