import { describe, expect, it } from 'vitest';
import { hasChanges, summarizeJobPlan } from '../../../src/plan/summarize.ts';
import { aField, aGroupDiff, aJobDiff, aMetric, aPlanResponse, aTaskDiff, updates } from './builders.ts';

describe('summarizeJobPlan', () => {
  it('calls a job Nomad has never seen a create, with every group placed', () => {
    const summary = summarizeJobPlan(
      aPlanResponse({
        JobModifyIndex: 0,
        Annotations: { DesiredTGUpdates: { api: updates({ Place: 2 }) }, PreemptedAllocs: [] },
        Diff: aJobDiff({ Type: 'Added', Fields: [aField('Priority', '', '50')], TaskGroups: [aGroupDiff('api', { Type: 'Added', Fields: [aField('Count', '', '2')] })] }),
      }),
    );
    expect(summary).toMatchObject({ change: 'create', diffType: 'Added', jobModifyIndex: 0 });
    expect(summary.groups).toEqual([expect.objectContaining({ name: 'api', change: 'create', place: 2, count: { from: null, to: 2 } })]);
    // A new job's field list would repeat the whole spec.
    expect(summary.fields).toEqual([]);
    expect(hasChanges(summary)).toBe(true);
  });

  it('reports nothing to do when the diff is None and the scheduler only ignores', () => {
    const summary = summarizeJobPlan(aPlanResponse());
    expect(summary.change).toBe('none');
    expect(summary.groups).toEqual([expect.objectContaining({ name: 'api', change: 'none', ignore: 2, place: 0 })]);
    expect(hasChanges(summary)).toBe(false);
  });

  it('counts destructive, in-place and canary updates per group and reads count changes from the diff', () => {
    const summary = summarizeJobPlan(
      aPlanResponse({
        Annotations: {
          DesiredTGUpdates: { api: updates({ Canary: 1, Ignore: 2 }), web: updates({ DestructiveUpdate: 2, InPlaceUpdate: 1, Place: 1 }), cache: updates({ Ignore: 1 }) },
          PreemptedAllocs: [],
        },
        Diff: aJobDiff({
          Type: 'Edited',
          TaskGroups: [
            aGroupDiff('api', { Type: 'Edited', Tasks: [aTaskDiff('api', { Type: 'Edited', Fields: [aField('Config[image]', 'api:1.8.2', 'api:1.9.0')] })] }),
            aGroupDiff('web', { Type: 'Edited', Fields: [aField('Count', '3', '4', { Annotations: ['forces create'] })] }),
            aGroupDiff('cache'),
          ],
        }),
      }),
    );
    expect(summary.change).toBe('update');
    const [api, cache, web] = summary.groups;
    expect(api).toMatchObject({ name: 'api', change: 'update', canary: 1, destructive: 0, inPlace: 0, ignore: 2 });
    expect(api!.count).toBeUndefined();
    expect(cache).toMatchObject({ name: 'cache', change: 'none' });
    expect(web).toMatchObject({ name: 'web', change: 'update', destructive: 2, inPlace: 1, place: 1, count: { from: 3, to: 4 } });
    expect(summary.fields).toEqual(['Group api › Task api › Config[image]: "api:1.8.2" → "api:1.9.0"', 'Group web › Count: "3" → "4"']);
  });

  it('names added and removed groups without listing their fields', () => {
    const summary = summarizeJobPlan(
      aPlanResponse({
        Annotations: { DesiredTGUpdates: { api: updates({ Ignore: 2 }), sidecar: updates({ Place: 1 }) }, PreemptedAllocs: [] },
        Diff: aJobDiff({
          Type: 'Edited',
          TaskGroups: [aGroupDiff('api'), aGroupDiff('sidecar', { Type: 'Added', Fields: [aField('Count', '', '1')] }), aGroupDiff('old', { Type: 'Deleted' })],
        }),
      }),
    );
    expect(summary.groups.map((g) => [g.name, g.change])).toEqual([['api', 'none'], ['old', 'destroy'], ['sidecar', 'create']]);
    expect(summary.fields).toEqual(['Group sidecar: added', 'Group old: deleted']);
  });

  it('explains placement failures from FailedTGAllocs in words', () => {
    const summary = summarizeJobPlan(
      aPlanResponse({
        Annotations: { DesiredTGUpdates: { api: updates({ Place: 3 }) }, PreemptedAllocs: [] },
        FailedTGAllocs: { api: aMetric({ CoalescedFailures: 2 }) },
      }),
    );
    expect(summary.groups[0]!.placementFailure).toBe('3 allocations cannot be placed: no node can run it (3 evaluated, 0 filtered, 3 exhausted): memory exhausted on 3 nodes');
  });

  it('flattens job-level fields and nested objects, and splits Nomad warnings into lines', () => {
    const summary = summarizeJobPlan(
      aPlanResponse({
        Diff: aJobDiff({
          Type: 'Edited',
          Fields: [aField('Meta[drover.release]', 'r1', 'r2')],
          Objects: [{ Type: 'Edited', Name: 'Datacenters', Fields: [aField('Datacenters', '', 'qa2')], Objects: [] }],
        }),
        Warnings: '1 warning:\n\n* group "api" defines services, but neither the group nor any of its tasks have shutdown_delay set',
      }),
    );
    expect(summary.fields).toEqual(['Meta[drover.release]: "r1" → "r2"', 'Datacenters › Datacenters: + "qa2"']);
    expect(summary.warnings).toEqual(['group "api" defines services, but neither the group nor any of its tasks have shutdown_delay set']);
    expect(hasChanges(summary)).toBe(true);
  });

  it('counts allocation changes as changes even when the spec diff is None (a lost allocation to replace)', () => {
    const summary = summarizeJobPlan(aPlanResponse({ Annotations: { DesiredTGUpdates: { api: updates({ Place: 1, Ignore: 1 }) }, PreemptedAllocs: [] } }));
    expect(summary.change).toBe('none');
    expect(hasChanges(summary)).toBe(true);
  });

  it('falls back on the job modify index when Nomad sent no diff', () => {
    expect(summarizeJobPlan(aPlanResponse({ Diff: null, JobModifyIndex: 0 })).change).toBe('create');
    expect(summarizeJobPlan(aPlanResponse({ Diff: null, JobModifyIndex: 9 })).change).toBe('none');
  });
});
