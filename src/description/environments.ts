/** The environments the platform is synthesized for: the one list every tool, schema and message takes them from. */

/** Environments the platform is synthesized for, in promotion order. */
export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;

/** One of `ENVIRONMENTS`. */
export type EnvironmentName = (typeof ENVIRONMENTS)[number];

/** Whether `name` is one of `ENVIRONMENTS`. */
export function isEnvironmentName(name: string): name is EnvironmentName {
  return (ENVIRONMENTS as readonly string[]).includes(name);
}
