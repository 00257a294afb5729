import type { Diagnostic } from '../diagnostic.ts';
import { problem } from '../rule.ts';
import { durationProblems } from './duration-format.ts';
import { field, isRecord, show } from './lib/index.ts';
import { canaryAnalysisProblems } from './lib/canary-analysis.ts';
import type { EnvironmentRule } from './lib/environment-rule.ts';

const ID = 'env/promotion';

/** Rule `env/promotion`: promotion policy: canary "auto", "manual" or "progressive" (with a Prometheus and sane analysis settings), boolean confirm/prune, valid maxReleaseAge and soak durations. */
export const envPromotionRule: EnvironmentRule = {
  id: ID,
  description: 'Promotion policy: canary "auto", "manual" or "progressive" (with a Prometheus and sane analysis settings), boolean confirm/prune, valid maxReleaseAge and soak durations.',
  check({ env, file }) {
    const promotion = field(env, 'promotion');
    if (!isRecord(promotion)) return [problem(ID, { file, path: 'promotion' }, 'promotion is missing', 'Declare the environment with defineEnvironment(), which fills the promotion defaults.')];
    const found: Diagnostic[] = [];
    if (!['auto', 'manual', 'progressive'].includes(promotion.canary as string)) {
      found.push(problem(ID, { file, path: 'promotion.canary' }, `promotion.canary ${show(promotion.canary)} is not "auto", "manual" or "progressive"`, 'Set canary to "auto" (promote when healthy), "manual" or "progressive" (traffic steps judged by Prometheus).'));
    }
    if (promotion.canary === 'progressive' && typeof field(field(env, 'prometheus'), 'address') !== 'string') {
      found.push(problem(ID, { file, path: 'prometheus.address' }, `promotion.canary is "progressive" but environment ${show(env.name)} has no prometheus.address`, 'Set prometheus: { address: "http://prometheus.<env>.internal:9090" }: progressive canaries are judged by its queries.'));
    }
    const scrapeInterval = field(field(env, 'prometheus'), 'scrapeInterval');
    found.push(...durationProblems(ID, { file, path: 'prometheus' }, field(env, 'prometheus'), [['scrapeInterval', false]]));
    found.push(...canaryAnalysisProblems(ID, { file, path: 'promotion.analysis' }, promotion.analysis, { metrics: false, scrapeInterval }));
    for (const key of ['confirm', 'prune'] as const) {
      if (typeof promotion[key] !== 'boolean') found.push(problem(ID, { file, path: `promotion.${key}` }, `promotion.${key} ${show(promotion[key])} is not true or false`, `Set ${key} to true or false.`));
    }
    return [...found, ...durationProblems(ID, { file, path: 'promotion' }, promotion, [['maxReleaseAge', false], ['soak', false]])];
  },
};
