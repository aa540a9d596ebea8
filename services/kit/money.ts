/**
 * Largest amount accepted anywhere, in whole currency units. Small enough that an order's total in cents
 * (at most 100 lines of 1000 units each) stays far below Number.MAX_SAFE_INTEGER.
 */
export const MAX_AMOUNT = 10_000_000;

const DECIMAL = /^(\d+)(?:\.(\d{1,2}))?$/;

/**
 * Converts a decimal amount (as parsed from JSON) to integer cents without float arithmetic:
 * the shortest decimal text of the number (what `String` gives, i.e. the JSON the client sent) is parsed digit by digit,
 * so 0.29 is 29 cents, never 28.999999.
 * @returns cents, or undefined when the amount is not positive, has more than 2 decimals, or exceeds {@link MAX_AMOUNT}
 */
export function toCents(amount: number): number | undefined {
  const match = DECIMAL.exec(String(amount));
  if (!match || amount > MAX_AMOUNT) return undefined;
  const cents = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return cents > 0 ? cents : undefined;
}

/** Converts integer cents back to a decimal amount for JSON output (e.g. 1999 -> 19.99). */
export function fromCents(cents: number): number {
  return Number(`${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`);
}

/** The message used when an amount fails {@link toCents}, in Fastify's `<path> must ...` style. */
export function invalidAmountMessage(path: string): string {
  return `${path} must be a positive amount with at most 2 decimal places, up to ${MAX_AMOUNT}`;
}
