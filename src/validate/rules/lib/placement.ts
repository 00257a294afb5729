import { at } from '../../diagnostic.ts';
import type { LoadedJob } from '../../../model/loaded-job.ts';
import { isRecord, list } from './shape.ts';
import { scopesOf } from './visit.ts';

/** One constraint, affinity or spread of a job or group, with its location. */
export interface PlacementVisit {
  readonly file: string;
  readonly item: Readonly<Record<string, unknown>>;
  /** e.g. `constraints[0]` or `groups[1].spreads[0]`. */
  readonly path: string;
}

/** Every object in `key` (constraints, affinities, spreads) of a job and of its groups. */
export function placementsOf(jobs: readonly LoadedJob[], key: 'constraints' | 'affinities' | 'spreads'): PlacementVisit[] {
  return scopesOf(jobs).flatMap(({ file, scope, scopePath }) =>
    list(scope[key]).flatMap((item, i) => (isRecord(item) ? [{ file, item, path: at(at(scopePath, key), i) }] : [])),
  );
}

/** Nomad's constraint operands. */
export const OPERATORS = [
  '=', '!=', '>', '>=', '<', '<=', 'distinct_hosts', 'distinct_property', 'regexp', 'version', 'semver',
  'set_contains', 'set_contains_all', 'set_contains_any', 'is_set', 'is_not_set',
];
