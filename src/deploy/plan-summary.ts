import type { NomadJobPlanResponse } from '../wire/nomad-api.ts';

/**
 * One line per plan: what Nomad would do to each group, e.g.
 * `api: 1 canary, 2 ignore; placement would fail for cache`. Pure.
 */
export function summarizePlan(plan: NomadJobPlanResponse): string {
  const groups = Object.entries(plan.Annotations?.DesiredTGUpdates ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  const parts = groups.map(([group, u]) => {
    const counts: [number, string][] = [
      [u.Place, 'place'],
      [u.Canary, 'canary'],
      [u.DestructiveUpdate, 'destructive'],
      [u.InPlaceUpdate, 'in-place'],
      [u.Stop, 'stop'],
      [u.Migrate, 'migrate'],
      [u.Ignore, 'unchanged'],
    ];
    const said = counts.filter(([n]) => n > 0).map(([n, label]) => `${n} ${label}`);
    return `${group}: ${said.join(', ') || 'no change'}`;
  });
  const failed = Object.keys(plan.FailedTGAllocs ?? {}).sort();
  if (failed.length) parts.push(`placement would fail for ${failed.join(', ')}`);
  const change = plan.Diff?.Type === 'Added' ? 'create' : plan.Diff?.Type === 'None' ? 'no change' : 'update';
  return `${change} — ${parts.join('; ') || 'no groups'}`;
}
