import type { NomadAffinity, NomadConstraint, NomadSpread } from '../../wire/nomad-job.ts';
import { attr, block, type HclItem } from './syntax.ts';

/**
 * `constraint`, `affinity` and `spread` blocks, shared by jobs and groups. The operator is always
 * written with `operator = …` (never the `distinct_hosts = true` shorthands) so every wire
 * constraint has one spelling. Attributes such as `${attr.kernel.name}` are escaped like any
 * string (see literals.ts) and reach Nomad as the literal text it interpolates at placement.
 */
export function placementBlocks(target: {
  readonly Constraints?: readonly NomadConstraint[];
  readonly Affinities?: readonly NomadAffinity[];
  readonly Spreads?: readonly NomadSpread[];
}): HclItem[] {
  return [
    ...(target.Constraints ?? []).flatMap((c) =>
      block('constraint', [], [...attr('attribute', c.LTarget), ...attr('value', c.RTarget), ...attr('operator', c.Operand)]),
    ),
    ...(target.Affinities ?? []).flatMap((a) =>
      block('affinity', [], [
        ...attr('attribute', a.LTarget),
        ...attr('value', a.RTarget),
        ...attr('operator', a.Operand),
        ...attr('weight', a.Weight),
      ]),
    ),
    ...(target.Spreads ?? []).flatMap((s) =>
      block('spread', [], [
        ...attr('attribute', s.Attribute),
        ...attr('weight', s.Weight),
        ...(s.SpreadTarget ?? []).flatMap((t) => block('target', [t.Value], attr('percent', t.Percent))),
      ]),
    ),
  ];
}
