/**
 * "Did you mean …?" for a name someone typed: the known names within a small edit distance
 * (Damerau–Levenshtein with adjacent swaps, so `intervl`, `dependsOnn` and `minHealthyTim` all
 * find their key), nearest first. Pure; used by validation (unknown keys) and the CLI (commands,
 * flags).
 */
export function didYouMean(typed: string, known: Iterable<string>, limit = 3): string[] {
  const budget = Math.max(1, Math.min(3, Math.floor(typed.length / 3)));
  const scored: { name: string; distance: number }[] = [];
  for (const name of known) {
    const distance = editDistance(typed.toLowerCase(), name.toLowerCase());
    if (distance <= budget || (typed.length >= 3 && name.toLowerCase().startsWith(typed.toLowerCase()))) scored.push({ name, distance });
  }
  return scored
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((s) => s.name);
}

/** ` Did you mean "a" or "b"?` (leading space), or '' when nothing is near. */
export function didYouMeanText(typed: string, known: Iterable<string>, quote = (s: string) => `"${s}"`): string {
  const near = didYouMean(typed, known);
  if (near.length === 0) return '';
  const list = near.map(quote);
  return ` Did you mean ${list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} or ${list.at(-1)}`}?`;
}

/** Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((d[i - 1]?.[j] ?? 0) + 1, (d[i]?.[j - 1] ?? 0) + 1, (d[i - 1]?.[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (d[i - 2]?.[j - 2] ?? 0) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return d[a.length]?.[b.length] ?? 0;
}
