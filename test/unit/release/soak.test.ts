import { describe, expect, it } from 'vitest';
import { decideSoak, toAllocSnapshot } from '../../../src/release/soak.ts';
import { anAlloc } from './builders.ts';

const versions = new Map([['api', 3]]);
const snap = (...allocs: Parameters<typeof anAlloc>[]) => allocs.map((args) => toAllocSnapshot(anAlloc(...args)));

describe('decideSoak', () => {
  it('passes when the release\'s allocations kept running without restarts', () => {
    const before = snap(['api', 'a1'], ['api', 'a2']);
    expect(decideSoak({ before, after: before, versions })).toEqual([]);
  });

  it('reports a task that restarted during the soak, with the count and the last task event', () => {
    const before = snap(['api', 'a1', { restarts: { api: 1 } }]);
    const after = snap(['api', 'a1', { restarts: { api: 3 } }]);
    expect(decideSoak({ before, after, versions })).toEqual([
      { job: 'api', allocId: 'a1', allocName: 'api.api[0]', kind: 'restarted', detail: 'task api restarted 2 times (last event: api: Restarting: Exit Code: 137, OOM Killed)' },
    ]);
  });

  it('reports failed and lost allocations', () => {
    const before = snap(['api', 'a1'], ['api', 'a2']);
    const after = snap(['api', 'a1', { ClientStatus: 'failed' }], ['api', 'a2', { ClientStatus: 'lost', Name: 'api.api[1]' }]);
    expect(decideSoak({ before, after, versions }).map((p) => [p.allocId, p.kind, p.detail])).toEqual([
      ['a1', 'failed', 'client status failed'],
      ['a2', 'lost', 'client status lost'],
    ]);
  });

  it('counts every restart of an allocation that appeared during the soak', () => {
    const after = snap(['api', 'a9', { restarts: { api: 1 } }]);
    expect(decideSoak({ before: [], after, versions })).toMatchObject([{ allocId: 'a9', kind: 'restarted', detail: expect.stringMatching(/^task api restarted 1 time /) }]);
  });

  it('ignores allocations of other versions (the old version being replaced)', () => {
    const after = snap(['api', 'old', { JobVersion: 2, ClientStatus: 'failed' }]);
    expect(decideSoak({ before: [], after, versions })).toEqual([]);
  });
});
