import { describe, expect, it } from 'vitest';
import { formatPlan, toPlanDocument } from '../../../src/plan/document.ts';
import type { JobPlanEntry } from '../../../src/plan/plan-jobs.ts';
import { summarizeJobPlan } from '../../../src/plan/summarize.ts';
import { canonicalJson } from '../../../src/render/canonical-json.ts';
import { createStyle } from '../../../src/report/style.ts';
import { aGroupDiff, aJobDiff, aMetric, aPlanResponse, updates } from './builders.ts';

const header = { env: 'qa', namespace: 'shop', project: 'shop', release: 'r2', gitSha: 'abc', prune: true, flags: { adopt: false }, specHashes: { api: 'h-api', www: 'h-www' } };
const style = createStyle(false);

const created: JobPlanEntry = {
  id: 'www',
  kind: 'change',
  summary: summarizeJobPlan(
    aPlanResponse({
      JobModifyIndex: 0,
      Annotations: { DesiredTGUpdates: { web: updates({ Place: 1 }) }, PreemptedAllocs: [] },
      FailedTGAllocs: { web: aMetric() },
      Diff: aJobDiff({ Type: 'Added', TaskGroups: [aGroupDiff('web', { Type: 'Added' })] }),
    }),
  ),
};
const unchanged: JobPlanEntry = { id: 'api', kind: 'unchanged', version: 3, jobModifyIndex: 40 };

describe('the plan document', () => {
  it('sorts jobs by ID and is byte-identical for the same input', () => {
    const doc = toPlanDocument(header, [created, unchanged], []);
    expect(doc.jobs.map((j) => j.id)).toEqual(['api', 'www']);
    expect(canonicalJson(toPlanDocument(header, [unchanged, created], []))).toBe(canonicalJson(doc));
    expect(doc.jobs[0]).toEqual({ id: 'api', action: 'unchanged', jobModifyIndex: 40, changes: false, version: 3, specHash: 'h-api' });
    // Versioned, and carrying what deploy --plan replays: the flags and each job's spec hash.
    expect(doc).toMatchObject({ schema: 'drover.plan/v1', flags: { adopt: false } });
    expect(doc.jobs[1]).toMatchObject({ id: 'www', action: 'create', jobModifyIndex: 0, changes: true, diffType: 'Added' });
  });

  it('has changes when any job changes or any job is to be stopped', () => {
    expect(toPlanDocument(header, [unchanged], []).changes).toBe(false);
    expect(toPlanDocument(header, [unchanged], [{ id: 'old', jobModifyIndex: 7, type: 'service', release: 'r1' }]).changes).toBe(true);
  });

  it('refuses to write a plan that still holds a foreign job', () => {
    expect(() => toPlanDocument(header, [{ id: 'x', kind: 'refused', owner: 'someone' }], [])).toThrow(/internal/);
  });

  it('reads as one line per job, group details, placement failures, stops and a tally', () => {
    const text = formatPlan(toPlanDocument(header, [created, unchanged], [{ id: 'old', jobModifyIndex: 7, type: 'service', release: 'r1' }]), style);
    expect(text).toContain('= api  no changes (version 3 is running)');
    expect(text).toContain('+ www  create — job modify index 0');
    expect(text).toContain('    group web: create; 1 to place, 0 destructive, 0 in-place, 0 canary');
    expect(text).toContain('      placement would fail: 1 allocation cannot be placed: no node can run it');
    expect(text).toContain('- old  stop: no longer in jobs/ (release r1); deploy stops it');
    expect(text).toContain('Changes in qa: 1 to create, 0 to update, 1 unchanged, 1 to stop.');
  });
});
