import { canaryPromotionOf, weightedService } from '../../canary/plan.ts';
import type { Environment } from '../../config/environment.ts';
import { at } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { canaryAnalysisProblems } from './lib/canary-analysis.ts';
import { field, isRecord, show } from './lib/index.ts';
import { groupsOf } from './lib/visit.ts';
import { updatePoliciesOf } from './lib/update.ts';

const ID = 'update/progressive-canary';

/**
 * A progressive canary shifts a share of a Fabio route to the canaries and judges it with
 * Prometheus: the group needs a service with an HTTP route that routes canaries, and the
 * environment a Prometheus. The job's analysis settings are checked where they are written.
 */
export const updateProgressiveCanaryRule: Rule = {
  id: ID,
  description: 'Progressive canaries need a routed service that routes canaries, a Prometheus, and sane analysis settings.',
  check({ jobs, env }) {
    const under = { metrics: true, scrapeInterval: field(field(env, 'prometheus'), 'scrapeInterval'), under: field(field(env, 'promotion'), 'analysis') };
    const settings = updatePoliciesOf(jobs).flatMap(({ file, policy, path }) =>
      isRecord(policy) && policy.strategy === 'canary' ? canaryAnalysisProblems(ID, { file, path: at(path, 'analysis') }, (policy as { analysis?: unknown }).analysis, under) : [],
    );
    const environment = env as unknown as Environment;
    if (!isRecord(field(env, 'promotion'))) return settings;
    let prometheusReported = false;
    const groups = groupsOf(jobs).flatMap(({ file, job, group, groupPath }) => {
      if (canaryPromotionOf(job, group, environment) !== 'progressive') return [];
      const found = [];
      if (!weightedService(group)) {
        found.push(problem(ID, { file, path: at(groupPath, 'services') }, `Group "${group.name}" of job ${job.id} promotes canaries progressively but none of its services has an HTTP route that routes canaries`, 'Give a service an HTTP route (routes: [{ path: "/…" }]) and leave routeCanaries on, or use promotion "auto" or "manual".'));
      }
      const envPromotesProgressively = field(field(env, 'promotion'), 'canary') === 'progressive';
      if (!envPromotesProgressively && !prometheusReported && typeof field(field(env, 'prometheus'), 'address') !== 'string') {
        prometheusReported = true;
        found.push(problem(ID, { file, path: groupPath }, `Job ${job.id} promotes canaries progressively but environment ${show(field(env, 'name'))} has no prometheus.address`, 'Set prometheus: { address: … } in the environment file: the canary steps are judged by its queries.'));
      }
      return found;
    });
    return [...settings, ...groups];
  },
};
