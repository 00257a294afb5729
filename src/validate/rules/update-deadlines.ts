import { toNanoseconds } from '../../model/duration.ts';
import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { updatePoliciesOf } from './lib/update.ts';

const ID = 'update/deadlines';

/** Effective value with Nomad's default, or undefined when malformed (duration/format reports that). */
function effective(value: unknown, fallback: string): { text: string; nanos: number } | undefined {
  const text = value === undefined ? fallback : value;
  if (typeof text !== 'string') return undefined;
  const nanos = toNanoseconds(text);
  return nanos === undefined ? undefined : { text, nanos };
}

/**
 * Nomad rejects min_healthy_time ≥ healthy_deadline and healthy_deadline ≥ progress_deadline
 * (unless progress_deadline is 0), with defaults 10s / 5m / 10m filled in for unset fields.
 */
export const updateDeadlinesRule: Rule = {
  id: ID,
  description: 'minHealthyTime < healthyDeadline < progressDeadline (progressDeadline 0 disables the last bound).',
  check({ jobs }) {
    return updatePoliciesOf(jobs).flatMap(({ file, policy, path }): Diagnostic[] => {
      const minHealthy = effective(policy.minHealthyTime, '10s');
      const healthy = effective(policy.healthyDeadline, '5m');
      const progress = effective(policy.progressDeadline, '10m');
      if (!minHealthy || !healthy || !progress) return [];
      if (healthy.nanos <= minHealthy.nanos) {
        return [problem(ID, { file, path: at(path, 'healthyDeadline') }, `healthyDeadline ${healthy.text} is not longer than minHealthyTime ${minHealthy.text}`, 'Raise healthyDeadline above minHealthyTime, leaving time for the allocation to start and pass its checks.')];
      }
      if (progress.nanos !== 0 && progress.nanos <= healthy.nanos) {
        return [problem(ID, { file, path: at(path, 'progressDeadline') }, `progressDeadline ${progress.text} is not longer than healthyDeadline ${healthy.text}`, 'Raise progressDeadline above healthyDeadline (or set it to "0" to fail on the first unhealthy allocation).')];
      }
      return [];
    });
  },
};
