/**
 * Deploy order from `dependsOn`: waves of jobs whose dependencies are all in earlier waves. Jobs in
 * one wave are independent and may deploy in parallel. Pure; IDs sorted within each wave.
 * Unknown dependencies and cycles are validation errors; here they are reported, not resolved.
 */
export interface DeployOrder {
  readonly waves: string[][];
  /** Jobs that could not be ordered because of a cycle (validation reports the cycle). */
  readonly unordered: string[];
}

export function deployWaves(jobs: readonly { readonly id: string; readonly dependsOn?: readonly string[] }[]): DeployOrder {
  const known = new Set(jobs.map((j) => j.id));
  const remaining = new Map(jobs.map((j) => [j.id, new Set((j.dependsOn ?? []).filter((d) => known.has(d)))]));
  const waves: string[][] = [];
  const placed = new Set<string>();
  while (remaining.size > 0) {
    const wave = [...remaining.entries()].filter(([, deps]) => [...deps].every((d) => placed.has(d))).map(([id]) => id).sort();
    if (wave.length === 0) break;
    for (const id of wave) {
      remaining.delete(id);
      placed.add(id);
    }
    waves.push(wave);
  }
  return { waves, unordered: [...remaining.keys()].sort() };
}
