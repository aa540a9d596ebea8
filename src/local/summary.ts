/** The table `npm run local` ends with: one row per container. */

/** One row of the summary. */
export interface SummaryRow {
  /** The description's service name. */
  readonly service: string;
  /** The version the container runs (its SERVICE_VERSION). */
  readonly version: string;
  /** `http://127.0.0.1:<port>`, or `-` when not running. */
  readonly url: string;
  /** See `ContainerState.health`. */
  readonly health: string;
  /** See `storageLabel`. */
  readonly storage: string;
}

const COLUMNS: readonly (keyof SummaryRow)[] = ['service', 'version', 'url', 'health', 'storage'];

/** The rows as an aligned table with a header line (`SERVICE  VERSION  URL  HEALTH  STORAGE`). */
export function renderSummary(rows: readonly SummaryRow[]): string {
  const widths = COLUMNS.map((column) => Math.max(column.length, ...rows.map((row) => row[column].length)));
  const line = (cells: readonly string[]) => cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ').trimEnd();
  return [line(COLUMNS.map((column) => column.toUpperCase())), ...rows.map((row) => line(COLUMNS.map((column) => row[column])))].join('\n');
}
