import type { CanaryPromotion } from '../../config/environment.ts';
import { warning, type Rule } from '../rule.ts';
import { effectiveUpdateOf } from './lib/effective-update.ts';
import { groupsOf, jobsOf } from './lib/visit.ts';

const ID = 'update/auto-promote';

/**
 * Rule `update/auto-promote` (warning): the canary groups of a job share one promotion mode.
 * Nomad promotes a deployment automatically only when every canary group has `auto_promote`, and
 * warns otherwise (nomad/structs/structs.go `Job.Warnings`); drover then promotes every group
 * itself (environment `auto`) or waits for `drover promote`, neither of which the mix asked for.
 */
export const updateAutoPromoteRule: Rule = {
  id: ID,
  description: 'The canary groups of a job share one promotion mode (Nomad auto-promotes only when all of them do).',
  check({ jobs, env }) {
    return jobsOf(jobs).flatMap(({ file, job }) => {
      const modes = groupsOf(jobs)
        .filter((visit) => visit.job === job)
        .flatMap((visit) => {
          const update = effectiveUpdateOf(visit);
          if (update?.policy.strategy !== 'canary' || update.policy.canaries === 0) return [];
          const promotion: CanaryPromotion = update.policy.promotion ?? env.promotion.canary;
          return [{ group: String(visit.group.name), promotion, path: update.pathOf('promotion') }];
        });
      const auto = modes.filter((m) => m.promotion === 'auto');
      const other = modes.filter((m) => m.promotion !== 'auto');
      if (auto.length === 0 || other.length === 0) return [];
      return [
        warning(
          ID,
          { file, path: other[0]!.path },
          `Canary groups ${auto.map((m) => `"${m.group}"`).join(', ')} promote "auto" but ${other.map((m) => `"${m.group}" (${m.promotion})`).join(', ')} do not: Nomad auto-promotes only when every canary group does (Nomad warns: auto_promote must be true for all groups to enable automatic promotion)`,
          'Give every canary group of the job the same promotion: set update.promotion once on the job, or the same value on each group.',
        ),
      ];
    });
  },
};
