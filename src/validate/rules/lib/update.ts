import type { UpdatePolicy } from '../../../model/policies.ts';
import { at } from '../../diagnostic.ts';
import type { LoadedJob } from '../../../model/loaded-job.ts';
import { isRecord } from './shape.ts';
import { scopesOf, type ScopeVisit } from './visit.ts';

/** An update policy with where it is written. */
export interface UpdateVisit extends ScopeVisit {
  readonly policy: UpdatePolicy;
  /** `update` or `groups[i].update`. */
  readonly path: string;
}

/**
 * Every update policy written in a job: the job's and each group's. The renderer uses a group's
 * policy instead of (not merged with) the job's, so each one is checked on its own.
 */
export function updatePoliciesOf(jobs: readonly LoadedJob[]): readonly UpdateVisit[] {
  if (!Array.isArray(jobs)) return walkUpdatePolicies(jobs);
  let found = visited.get(jobs);
  if (!found) visited.set(jobs, (found = walkUpdatePolicies(jobs)));
  return found;
}

/** Computed once per validation input and shared by the update rules, like the walks of visit.ts. */
const visited = new WeakMap<readonly LoadedJob[], readonly UpdateVisit[]>();

function walkUpdatePolicies(jobs: readonly LoadedJob[]): UpdateVisit[] {
  return scopesOf(jobs).flatMap((visit) =>
    isRecord(visit.scope.update) ? [{ ...visit, policy: visit.scope.update as unknown as UpdatePolicy, path: at(visit.scopePath, 'update') }] : [],
  );
}
