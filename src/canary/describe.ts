/**
 * What a progressive canary will do, step by step, before it runs: for `drover plan`. Pure: the
 * instance and target regexes are placeholders, filled from Nomad's canary allocations at run time.
 */
import { windowFor } from './analysis.ts';
import { gateQueryTemplates } from './gates.ts';
import type { ProgressiveCanaryPlan } from './plan.ts';

/** The lines `drover plan` prints for one job's progressive canary. */
export function describeCanaryPlan(job: string, plan: ProgressiveCanaryPlan): string[] {
  const { analysis } = plan;
  const stepSeconds = (analysis.intervalMs * analysis.count) / 1000;
  const lines = [
    `${job}: progressive canary of group "${plan.group}" on ${plan.service} ${plan.routeSource}: ${plan.steps.map(percent).join(' → ')}, then promote`,
    `  each step: ${analysis.count} measurements ${analysis.intervalMs / 1000}s apart (${stepSeconds}s, up to ${stepSeconds * 2}s while evidence is thin); every gate's last one must be ok, one failing fails the canary${analysis.failureLimit > 0 ? ` (after ${analysis.failureLimit} tolerated)` : ''}`,
    '  queries per measurement (the range is the time spent at the step; $canary_*/$stable_* are the instances Nomad placed, from Consul):',
  ];
  for (let k = 1; k <= analysis.count; k++) {
    const window = windowFor(k * analysis.intervalMs, analysis.maxWindowMs);
    lines.push(`    measurement ${k} (range ${window}s):`);
    for (const gate of analysis.gates) for (const query of gateQueryTemplates(gate, plan.service, window)) lines.push(`      ${gate.name}: ${query}`);
  }
  return lines;
}

function percent(weight: number): string {
  return `${Number((weight * 100).toFixed(2))} %`;
}
