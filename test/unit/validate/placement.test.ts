import { describe, expect, it } from 'vitest';
import { placementAffinityRule } from '../../../src/validate/rules/placement-affinity.ts';
import { placementConstraintRule } from '../../../src/validate/rules/placement-constraint.ts';
import { placementSpreadRule } from '../../../src/validate/rules/placement-spread.ts';
import { aGroup, aServiceJob, error, run, where } from './builders.ts';

const NODE_CLASS = '${node.class}';

describe('placement/constraint', () => {
  it('accepts each operator with what it needs', () => {
    const constraints = [
      { attribute: NODE_CLASS, value: 'web' },
      { attribute: NODE_CLASS, operator: 'regexp', value: '^web' },
      { operator: 'distinct_hosts' },
      { attribute: '${meta.rack}', operator: 'distinct_property', value: '2' },
      { attribute: '${meta.gpu}', operator: 'is_set' },
    ];
    expect(run(placementConstraintRule, aServiceJob({ constraints }))).toEqual([]);
  });

  it('reports missing values, values where none belong, and unknown operators, at job and group level', () => {
    const job = aServiceJob({
      constraints: [{ attribute: NODE_CLASS, operator: '=' }, { operator: 'distinct_hosts', value: 'true' }, { attribute: NODE_CLASS, operator: 'like', value: 'x' }],
      groups: [aGroup({ constraints: [{ attribute: NODE_CLASS, operator: 'regexp' }, { attribute: '${meta.x}', operator: 'is_not_set', value: 'y' }, { value: 'x' }] })],
    });
    expect(where(run(placementConstraintRule, job))).toEqual([
      error('placement/constraint', 'constraints[0].value'),
      error('placement/constraint', 'constraints[1].value'),
      error('placement/constraint', 'constraints[2].operator'),
      error('placement/constraint', 'groups[0].constraints[0].value'),
      error('placement/constraint', 'groups[0].constraints[1].value'),
      error('placement/constraint', 'groups[0].constraints[2].attribute'),
    ]);
  });
});

describe('placement/affinity', () => {
  it('requires a non-zero integer weight in -100..100 and a comparison operator', () => {
    const affinities = [
      { attribute: NODE_CLASS, value: 'a', weight: -100 },
      { attribute: NODE_CLASS, value: 'a', weight: 0 },
      { attribute: NODE_CLASS, value: 'a', weight: 101 },
      { attribute: NODE_CLASS, value: 'a', operator: 'distinct_hosts' },
      { attribute: NODE_CLASS },
    ];
    expect(where(run(placementAffinityRule, aServiceJob({ affinities })))).toEqual([
      error('placement/affinity', 'affinities[1].weight'),
      error('placement/affinity', 'affinities[2].weight'),
      error('placement/affinity', 'affinities[3].operator'),
      error('placement/affinity', 'affinities[4].value'),
    ]);
  });
});

describe('placement/spread', () => {
  it('requires weight 1..100 and target percentages summing to at most 100', () => {
    const spreads = [
      { attribute: '${node.datacenter}', weight: 100, targets: { dc1: 50, dc2: 50 } },
      { attribute: '${node.datacenter}', weight: 0 },
      { attribute: '${node.datacenter}', targets: { dc1: 70, dc2: 40 } },
      { attribute: '${node.datacenter}', targets: { dc1: -5 } },
      { weight: 10 },
    ];
    expect(where(run(placementSpreadRule, aServiceJob({ spreads })))).toEqual([
      error('placement/spread', 'spreads[1].weight'),
      error('placement/spread', 'spreads[2].targets'),
      error('placement/spread', 'spreads[3].targets.dc1'),
      error('placement/spread', 'spreads[4].attribute'),
    ]);
  });
});
