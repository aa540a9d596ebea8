/** String formats shared by the schema and the rules (image references and registries: image-grammar.ts). */

/** RFC 1123 DNS label. */
export const DNS_LABEL_PATTERN = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Istio/Go duration as Istio accepts it: a number and one unit. */
export const DURATION_PATTERN = /^\d+(\.\d+)?(ms|s|m|h)$/;

/** Kubernetes resource quantity (decimal or binary SI suffix, or exponent). */
export const QUANTITY_PATTERN = /^(\d+(\.\d*)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][-+]?\d+)?$/;

/** POSIX-style environment variable name. */
export const ENV_NAME_PATTERN = /^[A-Z_][A-Z0-9_]*$/;

const DURATION_UNITS_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a duration that matches DURATION_PATTERN, e.g. "1.5s" → 1500. */
export function parseDurationMs(duration: string): number {
  const match = /^([\d.]+)(ms|s|m|h)$/.exec(duration);
  return match ? Number(match[1]) * DURATION_UNITS_MS[match[2]] : NaN;
}

const QUANTITY_FACTORS: Readonly<Record<string, number>> = {
  m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** The numeric value of a quantity that matches QUANTITY_PATTERN, e.g. "250m" → 0.25, "1Ki" → 1024. */
export function parseQuantity(quantity: string): number {
  const match = /^([\d.]+)(.*)$/.exec(quantity);
  if (!match) return NaN;
  const [, number, suffix] = match;
  if (/^[eE]/.test(suffix)) return Number(number + suffix);
  return Number(number) * (QUANTITY_FACTORS[suffix] ?? NaN);
}
