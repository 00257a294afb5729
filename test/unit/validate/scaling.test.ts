import { describe, expect, it } from 'vitest';
import { groupCountRule } from '../../../src/validate/rules/group-count.ts';
import { scalingJobKindRule } from '../../../src/validate/rules/scaling-job-kind.ts';
import { scalingRangeRule } from '../../../src/validate/rules/scaling-range.ts';
import { scalingTargetRule } from '../../../src/validate/rules/scaling-target.ts';
import { aBatchJob, aGroup, aServiceJob, aSystemJob, error, run, warn, where } from './builders.ts';

const scaled = (scaling: unknown, count?: unknown) => aServiceJob({ groups: [aGroup({ scaling, count })] });
const cpu = (min: unknown, max: unknown, percent: unknown = 70) => ({ min, max, target: { kind: 'cpu', percent } });

describe('group/count', () => {
  it('requires integer counts of at least 1 in service jobs', () => {
    expect(where(run(groupCountRule, aServiceJob({ groups: [aGroup({ count: 0 }), aGroup({ count: 1.5 }), aGroup({ count: 2 })] })))).toEqual([
      error('group/count', 'groups[0].count'),
      error('group/count', 'groups[1].count'),
    ]);
  });

  it('warns that system jobs ignore count, allows 0 for batch', () => {
    const system = aSystemJob({ groups: [aGroup({ count: 3 })] });
    expect(where(run(groupCountRule, system))).toEqual([warn('group/count', 'groups[0].count', 'jobs/agent.ts')]);
    expect(run(groupCountRule, aBatchJob({ groups: [aGroup({ count: 0 })] }))).toEqual([]);
  });
});

describe('scaling/range', () => {
  it('accepts 1 <= min <= max with count inside', () => {
    expect(run(scalingRangeRule, scaled(cpu(1, 3), 2))).toEqual([]);
    expect(run(scalingRangeRule, scaled(cpu(2, 2)))).toEqual([]);
  });

  it('reports min < 1, max < min and count outside the range', () => {
    expect(where(run(scalingRangeRule, scaled(cpu(0, 3))))).toEqual([error('scaling/range', 'groups[0].scaling.min')]);
    expect(where(run(scalingRangeRule, scaled(cpu(3, 2))))).toEqual([error('scaling/range', 'groups[0].scaling.max')]);
    expect(where(run(scalingRangeRule, scaled(cpu(2, 4), 5)))).toEqual([error('scaling/range', 'groups[0].count')]);
    expect(where(run(scalingRangeRule, scaled('auto')))).toEqual([error('scaling/range', 'groups[0].scaling')]);
  });
});

describe('scaling/target', () => {
  it('checks cpu percent 1..100 and prometheus query/value', () => {
    expect(where(run(scalingTargetRule, scaled(cpu(1, 2, 0))))).toEqual([error('scaling/target', 'groups[0].scaling.target.percent')]);
    expect(where(run(scalingTargetRule, scaled(cpu(1, 2, 101))))).toEqual([error('scaling/target', 'groups[0].scaling.target.percent')]);
    expect(where(run(scalingTargetRule, scaled({ min: 1, max: 2, target: { kind: 'prometheus', query: '', value: 5 } })))).toEqual([error('scaling/target', 'groups[0].scaling.target.query')]);
    expect(where(run(scalingTargetRule, scaled({ min: 1, max: 2, target: { kind: 'memory' } })))).toEqual([error('scaling/target', 'groups[0].scaling.target.kind')]);
    expect(where(run(scalingTargetRule, scaled({ min: 1, max: 2 })))).toEqual([error('scaling/target', 'groups[0].scaling.target')]);
  });
});

describe('scaling/job-kind', () => {
  it('reports scaling on system and batch jobs', () => {
    expect(where(run(scalingJobKindRule, aSystemJob({ groups: [aGroup({ scaling: cpu(1, 2) })] })))).toEqual([error('scaling/job-kind', 'groups[0].scaling', 'jobs/agent.ts')]);
    expect(where(run(scalingJobKindRule, aBatchJob({ groups: [aGroup({ scaling: cpu(1, 2) })] })))).toEqual([error('scaling/job-kind', 'groups[0].scaling', 'jobs/report.ts')]);
  });
});
