/**
 * Defaults of optional construct props, taken from the description's schema (its one definition of each default), and
 * the schema's per-field checks for hand-written props, reported as one `Error` naming the construct and the field.
 */
import type { z } from 'zod';
import { serviceSchema } from '../description/schema';
import { propsError, type PropsContext } from './placement';

/** `value` parsed by `schema` (defaults applied); throws an `Error` listing each invalid field below `field`. */
export function withDefaults<S extends z.ZodType>(context: PropsContext, field: string, schema: S, value: z.input<S> | undefined): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${[field, ...issue.path.map(String)].filter(Boolean).join('.')}: ${issue.message}`);
  throw propsError(context, problems.join('; '));
}

type ServiceShape = typeof serviceSchema.shape;

/** Reads one field of a service's props through the service schema, e.g. `field('resources', props.resources)`. */
export const serviceField = (context: PropsContext, prefix = '') =>
  <K extends keyof ServiceShape>(name: K, value: z.input<ServiceShape[K]> | undefined): z.output<ServiceShape[K]> =>
    withDefaults(context, `${prefix}${name}`, serviceSchema.shape[name], value) as z.output<ServiceShape[K]>;
