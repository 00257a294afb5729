import { describe, expect, it } from 'vitest';
import { summarizePlan } from '../../../src/deploy/plan-summary.ts';
import { aGroupDiff, aJobDiff, aMetric, aPlanResponse, updates } from '../plan/builders.ts';

describe('summarizePlan', () => {
  it('says create for a new job, and names a group that would not fit', () => {
    // Nomad's documented plan answer: a new job whose 11 "cache" allocations exhaust the node's CPU.
    const plan = aPlanResponse({
      Diff: aJobDiff({ Type: 'Added', ID: 'example', TaskGroups: [aGroupDiff('cache', { Type: 'Added', Updates: { create: 11 } })] }),
      Annotations: { DesiredTGUpdates: { cache: updates({ Place: 11 }) }, PreemptedAllocs: [] },
      FailedTGAllocs: { cache: aMetric({ NodesEvaluated: 1, NodesInPool: 1, NodesExhausted: 1, DimensionExhausted: { cpu: 1 }, CoalescedFailures: 3 }) },
      JobModifyIndex: 0,
    });
    expect(summarizePlan(plan)).toBe('create — cache: 11 place; placement would fail for cache');
  });

  it('counts a canary next to the allocations it leaves running', () => {
    const plan = aPlanResponse({
      Diff: aJobDiff({ Type: 'Edited', TaskGroups: [aGroupDiff('api', { Type: 'Edited', Updates: { canary: 1, ignore: 2 } })] }),
      Annotations: { DesiredTGUpdates: { api: updates({ Canary: 1, Ignore: 2 }) }, PreemptedAllocs: [] },
    });
    expect(summarizePlan(plan)).toBe('update — api: 1 canary, 2 unchanged');
  });

  it('says no change when Nomad finds nothing to do', () => {
    expect(summarizePlan(aPlanResponse())).toBe('no change — api: 2 unchanged');
  });

  it('lists the groups sorted by name, each with what Nomad would do to it', () => {
    const plan = aPlanResponse({
      Diff: aJobDiff({ Type: 'Edited' }),
      Annotations: {
        DesiredTGUpdates: { www: updates({ Ignore: 2 }), api: updates({ DestructiveUpdate: 2 }), worker: updates({ InPlaceUpdate: 3 }) },
        PreemptedAllocs: [],
      },
    });
    expect(summarizePlan(plan)).toBe('update — api: 2 destructive; worker: 3 in-place; www: 2 unchanged');
  });

  it('names the counts in a fixed order: place, canary, destructive, in-place, stop, migrate, unchanged', () => {
    const plan = aPlanResponse({
      Diff: aJobDiff({ Type: 'Edited' }),
      Annotations: { DesiredTGUpdates: { api: updates({ Ignore: 7, Migrate: 6, Stop: 5, InPlaceUpdate: 4, DestructiveUpdate: 3, Canary: 2, Place: 1 }) }, PreemptedAllocs: [] },
    });
    expect(summarizePlan(plan)).toBe('update — api: 1 place, 2 canary, 3 destructive, 4 in-place, 5 stop, 6 migrate, 7 unchanged');
  });

  it('says a scale-down stops allocations and keeps the rest', () => {
    const plan = aPlanResponse({
      Diff: aJobDiff({ Type: 'Edited', TaskGroups: [aGroupDiff('api', { Type: 'Edited', Updates: { destroy: 1, ignore: 2 } })] }),
      Annotations: { DesiredTGUpdates: { api: updates({ Stop: 1, Ignore: 2 }) }, PreemptedAllocs: [] },
    });
    expect(summarizePlan(plan)).toBe('update — api: 1 stop, 2 unchanged');
  });

  it('says no change for a group with nothing to do', () => {
    const plan = aPlanResponse({
      Diff: aJobDiff({ Type: 'Edited' }),
      Annotations: { DesiredTGUpdates: { api: updates({ Place: 1 }), idle: updates() }, PreemptedAllocs: [] },
    });
    expect(summarizePlan(plan)).toBe('update — api: 1 place; idle: no change');
  });

  it('names every group that would not fit, sorted', () => {
    const plan = aPlanResponse({
      Diff: aJobDiff({ Type: 'Edited' }),
      Annotations: { DesiredTGUpdates: { www: updates({ Place: 1 }), api: updates({ Place: 2 }) }, PreemptedAllocs: [] },
      FailedTGAllocs: { www: aMetric(), api: aMetric({ DimensionExhausted: { cpu: 3 } }) },
    });
    expect(summarizePlan(plan)).toBe('update — api: 2 place; www: 1 place; placement would fail for api, www');
  });

  it('says no groups when the plan has no annotations', () => {
    expect(summarizePlan(aPlanResponse({ Annotations: null, Diff: aJobDiff({ Type: 'Edited' }) }))).toBe('update — no groups');
  });

  it('still names a failed placement when there are no annotations', () => {
    const plan = aPlanResponse({ Annotations: null, Diff: aJobDiff({ Type: 'Added' }), FailedTGAllocs: { api: aMetric() } });
    expect(summarizePlan(plan)).toBe('create — placement would fail for api');
  });

  it('says update when the plan came without a diff, since it cannot tell', () => {
    expect(summarizePlan(aPlanResponse({ Diff: null }))).toBe('update — api: 2 unchanged');
  });
});
