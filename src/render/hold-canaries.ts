import type { NomadJob } from '../wire/nomad-job.ts';
import { withSpecHash } from './job.ts';

/**
 * A rendered job whose canaries wait for a promotion (`deploy --stop-at-canary`): every group's
 * `AutoPromote` off, the spec hash recomputed. Equal to rendering with `holdCanaries` (a unit
 * test holds them to that), but applied to the one render a deploy makes, so the release's
 * fingerprint and the registered job come from the same render.
 */
export function holdCanaries(job: NomadJob): NomadJob {
  const groups = job.TaskGroups ?? [];
  if (!groups.some((group) => group.Update?.AutoPromote)) return job;
  return withSpecHash({
    ...job,
    TaskGroups: groups.map((group) => (group.Update ? { ...group, Update: { ...group.Update, AutoPromote: false } } : group)),
  });
}
