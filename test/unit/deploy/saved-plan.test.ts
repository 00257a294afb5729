import { describe, expect, it } from 'vitest';
import { assertPlanTarget, clusterMovedRefused, findMovedJobs, findMovedStops, findSpecDrift, parseSavedPlan, type SavedPlanCheck } from '../../../src/deploy/saved-plan.ts';
import { ExitCode } from '../../../src/errors.ts';
import type { PlanDocument } from '../../../src/plan/document.ts';

const plan: PlanDocument = {
  schema: 'drover.plan/v1',
  env: 'qa',
  namespace: 'shop',
  project: 'shop',
  release: 'abc',
  gitSha: 'abc',
  prune: false,
  flags: { adopt: false },
  changes: true,
  jobs: [
    { id: 'api', action: 'update', jobModifyIndex: 40, changes: true, specHash: 'aaaa' },
    { id: 'www', action: 'create', jobModifyIndex: 0, changes: true, specHash: 'wwww' },
  ],
  stops: [{ id: 'old', jobModifyIndex: 7, type: 'service', release: 'r1' }],
};
const check: SavedPlanCheck = { file: 'p.json', indexes: new Map([['api', 40], ['www', 0]]), stops: plan.stops };

describe('parseSavedPlan', () => {
  it('reads a drover.plan/v1 document', () => {
    expect(parseSavedPlan(JSON.stringify(plan), 'p.json')).toEqual(plan);
  });

  it('rejects other formats and versions as usage errors that say to plan again', () => {
    const { schema: _, ...older } = plan;
    const cases: [string, RegExp][] = [
      ['{', /not a drover plan file: it is not JSON/],
      ['[]', /does not hold a JSON object/],
      [JSON.stringify(older), /plan from an older drover without a format version/],
      [JSON.stringify({ ...plan, schema: 'drover.plan/v2' }), /is a drover.plan\/v2 plan; this drover reads drover.plan\/v1/],
      [JSON.stringify({ ...plan, schema: 'drover.status/v1' }), /its schema is drover.status\/v1/],
      [JSON.stringify({ ...plan, flags: undefined }), /fields of drover.plan\/v1 are missing/],
    ];
    for (const [text, message] of cases) {
      expect(() => parseSavedPlan(text, 'p.json'), text).toThrow(message);
      try {
        parseSavedPlan(text, 'p.json');
      } catch (error) {
        expect((error as { exitCode: number }).exitCode).toBe(ExitCode.usage);
      }
    }
  });
});

describe('assertPlanTarget', () => {
  it('refuses another environment or project with exit 4', () => {
    expect(() => assertPlanTarget(plan, { env: 'qa', project: 'shop', file: 'p.json' })).not.toThrow();
    expect(() => assertPlanTarget(plan, { env: 'prod', project: 'shop', file: 'p.json' })).toThrow(expect.objectContaining({ exitCode: 4, message: 'p.json is a plan for qa, not prod' }));
    expect(() => assertPlanTarget(plan, { env: 'qa', project: 'other', file: 'p.json' })).toThrow(expect.objectContaining({ exitCode: 4 }));
  });
});

describe('findSpecDrift', () => {
  it('lists changed, added and removed jobs by ID, and nothing when the render is the planned one', () => {
    expect(findSpecDrift(plan, new Map([['api', 'aaaa'], ['www', 'wwww']]))).toEqual([]);
    expect(findSpecDrift(plan, new Map([['api', 'bbbb'], ['new', 'nnnn']]))).toEqual([
      { id: 'api', kind: 'changed', planned: 'aaaa', now: 'bbbb' },
      { id: 'new', kind: 'added', now: 'nnnn' },
      { id: 'www', kind: 'removed', planned: 'wwww' },
    ]);
  });
});

describe('findMovedJobs and findMovedStops', () => {
  it('flags a job registered, changed or purged since the plan, not one still at its planned index', () => {
    const now = new Map([
      ['api', { jobModifyIndex: 40, version: 3, release: 'r' }],
      ['www', { jobModifyIndex: 55, version: 0, release: 'x' }],
    ]);
    expect(findMovedJobs(check, now)).toEqual([{ id: 'www', planned: 0, now: { jobModifyIndex: 55, version: 0, release: 'x' } }]);
    expect(findMovedJobs(check, new Map([['www', null]])).map((m) => [m.id, m.now])).toEqual([['api', null]]);
    const error = clusterMovedRefused(findMovedJobs(check, now), 'qa', 'p.json');
    expect(error.exitCode).toBe(4);
    expect(error.context.moved).toBe('www: job modify index 0 planned, now 55 (version 0, release x)');
    expect(error.hint).toContain('drover plan qa --out p.json');
  });

  it('flags a stop that moved, vanished or appeared since the plan', () => {
    expect(findMovedStops(check, [{ id: 'old', jobModifyIndex: 7, type: 'service', release: 'r1' }])).toEqual([]);
    expect(findMovedStops(check, [{ id: 'old', jobModifyIndex: 9, type: 'service', release: 'r2' }, { id: 'gone', jobModifyIndex: 3, type: 'batch', release: '' }]).map((m) => [m.id, m.planned, m.now?.jobModifyIndex])).toEqual([
      ['gone', 0, 3],
      ['old', 7, 9],
    ]);
    expect(findMovedStops(check, []).map((m) => [m.id, m.now])).toEqual([['old', null]]);
  });
});
