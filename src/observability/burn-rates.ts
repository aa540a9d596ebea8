/**
 * The SLO arithmetic of the alerts, after Google's SRE workbook ("Alerting on SLOs", multiwindow, multi-burn-rate):
 * an alert fires when the error ratio over a long window AND a short window (a twelfth of it, so the alert resets soon
 * after the burn stops) exceed `factor` × the error budget (1 − objective). With a 30-day SLO window, a burn rate of
 * 14.4 for 1 hour spends 2% of the budget, 6 for 6 hours 5%, 3 for 1 day 10%, 1 for 3 days 10%.
 * Plain data: the spec's rules (is the page reachable?) and the rule generator both read it.
 */

/** The SLO window every availability objective is measured over. */
export const SLO_WINDOW_DAYS = 30;

/** How urgent an alert is; the AlertmanagerConfig routes on it. */
export type Severity = 'page' | 'ticket';

/** One multiwindow burn-rate condition. */
export interface BurnRateWindow {
  /** Page (wake someone) or ticket (look at it in working hours). */
  readonly severity: Severity;
  /** Long window, a Prometheus duration. */
  readonly long: string;
  /** Short window (long / 12). */
  readonly short: string;
  /** Burn rate: multiple of the error budget the error ratio must exceed in both windows. */
  readonly factor: number;
  /** Share of the 30-day error budget spent when the condition has held for the long window. */
  readonly budgetSpent: number;
}

/** The workbook's four conditions: two page, two ticket. */
export const BURN_RATE_WINDOWS: readonly BurnRateWindow[] = [
  { severity: 'page', long: '1h', short: '5m', factor: 14.4, budgetSpent: 0.02 },
  { severity: 'page', long: '6h', short: '30m', factor: 6, budgetSpent: 0.05 },
  { severity: 'ticket', long: '1d', short: '2h', factor: 3, budgetSpent: 0.1 },
  { severity: 'ticket', long: '3d', short: '6h', factor: 1, budgetSpent: 0.1 },
];

/** Every window a recording rule is needed for (long and short of each condition), shortest first. */
export const ALERT_WINDOWS: readonly string[] = [...new Set(BURN_RATE_WINDOWS.flatMap((w) => [w.short, w.long]))]
  .sort((a, b) => durationSeconds(a) - durationSeconds(b));

/** The highest burn rate any alert waits for: the error ratio the objective must leave room for. */
export const HIGHEST_BURN_RATE = Math.max(...BURN_RATE_WINDOWS.map((w) => w.factor));

/** The error budget of an availability objective, as a ratio: 99.9 → 0.001 (rounded to shed floating-point noise). */
export function errorBudget(availabilityPercent: number): number {
  return Number(((100 - availabilityPercent) / 100).toPrecision(12));
}

/** Seconds of a Prometheus duration with one unit ("5m", "1d"). */
export function durationSeconds(duration: string): number {
  const match = /^(\d+)(s|m|h|d)$/.exec(duration);
  if (!match) throw new Error(`not a Prometheus duration with one unit: "${duration}"`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as 's' | 'm' | 'h' | 'd'];
}
