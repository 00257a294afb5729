import { describe, expect, it } from 'vitest';
import { describeOwner, foreignJobsRefused, isOwnedBy, ownedJobs } from '../../../src/deploy/ownership.ts';
import { findStops } from '../../../src/deploy/prune.ts';
import { ExitCode } from '../../../src/errors.ts';
import { aListStub } from './builders.ts';

const owner = { project: 'shop', env: 'qa' };
const meta = (project: string, env: string) => ({ 'drover.project': project, 'drover.env': env, 'drover.release': 'r1' });

describe('ownership', () => {
  it('owns a job only when both project and environment match', () => {
    expect(isOwnedBy(meta('shop', 'qa'), owner)).toBe(true);
    expect(isOwnedBy(meta('shop', 'prod'), owner)).toBe(false);
    expect(isOwnedBy(meta('other', 'qa'), owner)).toBe(false);
    expect(isOwnedBy({}, owner)).toBe(false);
    expect(isOwnedBy(null, owner)).toBe(false);
  });

  it('names the owner, or says the job is not drover\'s', () => {
    expect(describeOwner(meta('other', 'qa'))).toBe('project "other", environment "qa"');
    expect(describeOwner({})).toBe('not deployed by drover (no drover.project meta)');
  });

  it('lists owned jobs sorted, leaving out periodic/dispatch children that inherit the meta', () => {
    const listed = [aListStub({ ID: 'www' }), aListStub({ ID: 'api' }), aListStub({ ID: 'db-backup/periodic-1700000000', ParentID: 'db-backup' }), aListStub({ ID: 'x', Meta: meta('shop', 'prod') })];
    expect(ownedJobs(listed, owner).map((j) => j.ID)).toEqual(['api', 'www']);
  });

  it('refuses foreign jobs with exit 4, naming each and the way out', () => {
    const error = foreignJobsRefused([{ id: 'www', owner: 'project "other", environment "qa"' }], 'qa', 'plan', true);
    expect(error.exitCode).toBe(ExitCode.refused);
    expect(error.message).toBe('Refusing to plan jobs this project does not own in qa');
    expect(error.context.jobs).toBe('www (owned by project "other", environment "qa")');
    expect(error.hint).toContain('--adopt');
  });
});

describe('findStops', () => {
  it('stops owned jobs that are no longer in jobs/', () => {
    const listed = [aListStub({ ID: 'api' }), aListStub({ ID: 'legacy', JobModifyIndex: 77, Type: 'batch', Meta: { ...meta('shop', 'qa'), 'drover.release': 'r0' } })];
    expect(findStops(listed, 'shop', 'qa', ['api'])).toEqual([{ id: 'legacy', jobModifyIndex: 77, type: 'batch', release: 'r0' }]);
  });

  it('never stops jobs of another project or environment, children, or jobs already stopped', () => {
    const listed = [
      aListStub({ ID: 'theirs', Meta: meta('other', 'qa') }),
      aListStub({ ID: 'prod-only', Meta: meta('shop', 'prod') }),
      aListStub({ ID: 'manual', Meta: {} }),
      aListStub({ ID: 'db-backup/periodic-1', ParentID: 'db-backup' }),
      aListStub({ ID: 'stopped', Stop: true, Status: 'dead' }),
    ];
    expect(findStops(listed, 'shop', 'qa', [])).toEqual([]);
  });

  it('is sorted by ID whatever order Nomad listed the jobs in', () => {
    const listed = [aListStub({ ID: 'b' }), aListStub({ ID: 'a' }), aListStub({ ID: 'c' })];
    expect(findStops(listed, 'shop', 'qa', new Set(['c'])).map((s) => s.id)).toEqual(['a', 'b']);
  });
});
