/** Configuration errors, formatted as `platform config (environment prod): services.order-service.canary.weights: …`. */

/** One problem in the description: where it is, what is wrong, and how to fix it. */
export interface ConfigIssue {
  /** Dotted path, services and versions named rather than numbered, e.g. `services.order-service.canary.weights`. */
  readonly path: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix?: string;
}

/** Thrown when the description or an environment's overrides are invalid; lists every issue found. */
export class PlatformConfigError extends Error {
  constructor(
    /** Environment whose configuration failed. */
    readonly environment: string,
    /** Every issue found. */
    readonly issues: readonly ConfigIssue[],
  ) {
    super(issues.map((issue) => formatIssue(environment, issue)).join('\n'));
    this.name = 'PlatformConfigError';
  }
}

function formatIssue(environment: string, issue: ConfigIssue): string {
  const fix = issue.fix ? `; fix: ${issue.fix}` : '';
  return `platform config (environment ${environment}): ${issue.path}: ${issue.message}${fix}`;
}
