/** "Did you mean" for misspelt field, service and version names. */

/** Edit distance (insertions, deletions, substitutions, and swaps of two neighbours) between two strings. */
function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
    }
  }
  return rows[a.length][b.length];
}

/**
 * The known name closest to `name` when it is close enough to be a typo (at most a third of its letters differ,
 * ignoring case), else undefined.
 */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d < (best?.distance ?? Infinity)) best = { name: candidate, distance: d };
  }
  if (!best || (best.distance === 0 && best.name === name)) return undefined;
  return best.distance <= Math.max(1, Math.floor(name.length / 3)) ? best.name : undefined;
}

/** `did you mean "order-service"?` when a known name is close, else the empty string. */
export function didYouMean(name: string, known: readonly string[]): string {
  const suggestion = closest(name, known);
  return suggestion ? `did you mean "${suggestion}"?` : '';
}
