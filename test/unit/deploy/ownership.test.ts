import { describe, expect, it } from 'vitest';
import { describeOwner, foreignJobsRefused, isOwnedBy, ownedJobs } from '../../../src/deploy/ownership.ts';
import { ExitCode } from '../../../src/errors.ts';
import type { NomadJobListStub } from '../../../src/wire/nomad-api.ts';
import { aListStub } from '../plan/builders.ts';

/*
 * The common cases (matching owner, other project or environment, periodic children, the --adopt
 * hint) are in ../plan/ownership.test.ts; these are the edges it leaves out.
 */
const owner = { project: 'shop', env: 'qa' };

describe('ownership edges', () => {
  it('does not own a job whose meta names this project but no environment', () => {
    expect(isOwnedBy({ 'drover.project': 'shop' }, owner)).toBe(false);
    expect(isOwnedBy(undefined, owner)).toBe(false);
  });

  it('says which project owns a job even when its environment is missing', () => {
    expect(describeOwner({ 'drover.project': 'billing' })).toBe('project "billing", environment "?"');
  });

  it('calls a job without meta not drover\'s', () => {
    expect(describeOwner(null)).toBe('not deployed by drover (no drover.project meta)');
    expect(describeOwner({ 'drover.env': 'qa' })).toBe('not deployed by drover (no drover.project meta)');
  });

  it('leaves out listed jobs Nomad sent without meta', () => {
    const bare = { ...aListStub({ ID: 'manual' }), Meta: null } as unknown as NomadJobListStub;
    expect(ownedJobs([bare, aListStub({ ID: 'api' })], owner).map((j) => j.ID)).toEqual(['api']);
  });

  it('names every foreign job in one refusal and, where adopting is not offered, points at the nomad CLI', () => {
    const error = foreignJobsRefused(
      [{ id: 'www', owner: 'project "billing", environment "qa"' }, { id: 'cron', owner: 'not deployed by drover (no drover.project meta)' }],
      'prod', 'stop', false,
    );
    expect(error.exitCode).toBe(ExitCode.refused);
    expect(error.message).toBe('Refusing to stop jobs this project does not own in prod');
    expect(error.context.jobs).toBe('www (owned by project "billing", environment "qa"), cron (owned by not deployed by drover (no drover.project meta))');
    expect(error.hint).not.toContain('--adopt');
    expect(error.hint).toContain('nomad CLI');
  });
});
