import type { Affinity, Constraint, Spread } from '../model/placement.ts';
import type { NomadAffinity, NomadConstraint, NomadSpread } from '../wire/nomad-job.ts';
import { compact } from './canonical-json.ts';

export function renderConstraints(list: readonly Constraint[] | undefined): NomadConstraint[] | undefined {
  if (!list?.length) return undefined;
  return list.map((c) => compact({ LTarget: c.attribute, RTarget: c.value, Operand: c.operator ?? '=' }));
}

export function renderAffinities(list: readonly Affinity[] | undefined): NomadAffinity[] | undefined {
  if (!list?.length) return undefined;
  return list.map((a) => ({ LTarget: a.attribute, RTarget: a.value, Operand: a.operator ?? '=', Weight: a.weight ?? 50 }));
}

export function renderSpreads(list: readonly Spread[] | undefined): NomadSpread[] | undefined {
  if (!list?.length) return undefined;
  return list.map((s) =>
    compact({
      Attribute: s.attribute,
      Weight: s.weight ?? 50,
      SpreadTarget: s.targets
        ? Object.entries(s.targets)
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([Value, Percent]) => ({ Value, Percent }))
        : undefined,
    }),
  );
}
