/**
 * Defaults of optional construct props, taken from the description's schema (its one definition of each default), and
 * the schema's per-field checks for hand-written props, reported as one `Error` naming the construct and the field.
 */
import type { z } from 'zod';
import { propsError, type PropsContext } from './placement';

/** `value` parsed by `schema` (defaults applied); throws an `Error` listing each invalid field of `field`. */
export function withDefaults<S extends z.ZodType>(context: PropsContext, field: string, schema: S, value: z.input<S> | undefined): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${[field, ...issue.path.map(String)].join('.')}: ${issue.message}`);
  throw propsError(context, problems.join('; '));
}
