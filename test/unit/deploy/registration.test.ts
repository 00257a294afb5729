import { describe, expect, it } from 'vitest';
import { decideRegistration, hasAutoscaledGroups, type RegistrationInput } from '../../../src/deploy/registration.ts';
import type { NomadDeploymentStatus } from '../../../src/wire/nomad-api.ts';
import { aJobRead } from '../plan/builders.ts';
import { aDeployment } from '../watch/builders.ts';
import { aRenderedJob, aTaskGroup, droverMeta } from './builders.ts';

/*
 * The running job (aJobRead) is version 3 of project "shop" in "qa" with spec hash "hash-3"; the
 * rendered job carries the same hash unless a test changes it.
 */
function decide(overrides: Partial<RegistrationInput> = {}) {
  return decideRegistration({ current: aJobRead(), latest: null, rendered: aRenderedJob(), project: 'shop', env: 'qa', adopt: false, ...overrides });
}

const foreignMeta = { 'drover.project': 'billing', 'drover.env': 'qa', 'drover.release': 'r9', 'drover.spec_hash': 'hash-3' };

describe('decideRegistration', () => {
  describe('a job Nomad does not have', () => {
    it('registers it', () => {
      expect(decide({ current: null })).toEqual({ action: 'register' });
    });

    it('registers it even when a deployment of an earlier job by that ID is still listed', () => {
      expect(decide({ current: null, latest: aDeployment({ Status: 'running' }) })).toEqual({ action: 'register' });
    });
  });

  describe('a job this project owns', () => {
    it('leaves a job whose spec hash is already running alone, naming the running version', () => {
      expect(decide()).toEqual({ action: 'unchanged', version: 3 });
    });

    it('ignores per-release meta: a new release label or git SHA with the same spec hash is unchanged', () => {
      const rendered = aRenderedJob({ Meta: droverMeta({ 'drover.release': 'r5', 'drover.git_sha': 'def5678' }) });
      expect(decide({ rendered })).toEqual({ action: 'unchanged', version: 3 });
    });

    it('registers when the spec hash differs', () => {
      expect(decide({ rendered: aRenderedJob({ Meta: droverMeta({ 'drover.spec_hash': 'hash-4' }) }) })).toEqual({ action: 'register' });
    });

    it('registers over a running job that carries no spec hash (registered before drover wrote one)', () => {
      const current = aJobRead({ Meta: { 'drover.project': 'shop', 'drover.env': 'qa', 'drover.release': 'r1' } });
      expect(decide({ current })).toEqual({ action: 'register' });
    });

    it('registers when the spec changed even though a deployment of the running version is in flight', () => {
      const rendered = aRenderedJob({ Meta: droverMeta({ 'drover.spec_hash': 'hash-4' }) });
      expect(decide({ rendered, latest: aDeployment({ Status: 'running' }) })).toEqual({ action: 'register' });
    });

    it('registers a stopped job again, even with the same spec hash', () => {
      expect(decide({ current: aJobRead({ Stop: true, Status: 'dead' }) })).toEqual({ action: 'register' });
    });

    it('registers a stopped job even when its last deployment failed or is still listed as running', () => {
      const current = aJobRead({ Stop: true, Status: 'dead' });
      expect(decide({ current, latest: aDeployment({ Status: 'failed' }) })).toEqual({ action: 'register' });
      expect(decide({ current, latest: aDeployment({ Status: 'running' }) })).toEqual({ action: 'register' });
    });

    it('leaves a batch job that ran to completion (dead but not stopped) with the same spec alone', () => {
      const current = aJobRead({ Type: 'batch', Status: 'dead', Stop: false });
      expect(decide({ current, latest: null })).toEqual({ action: 'unchanged', version: 3 });
    });

    it('decides the same way with --adopt as without', () => {
      expect(decide({ adopt: true })).toEqual({ action: 'unchanged', version: 3 });
      expect(decide({ adopt: true, latest: aDeployment({ Status: 'failed', StatusDescription: 'Failed due to progress deadline' }) })).toEqual({
        action: 'last-deployment-failed', version: 3, description: 'Failed due to progress deadline',
      });
    });
  });

  describe('the latest deployment of an unchanged spec', () => {
    const inFlight: NomadDeploymentStatus[] = ['running', 'pending', 'paused', 'initializing', 'blocked', 'unblocking'];

    it.each(inFlight)('resumes watching a deployment that is %s, from the index it was created at', (status) => {
      const latest = aDeployment({ ID: 'dep-7', JobVersion: 3, Status: status, CreateIndex: 512, ModifyIndex: 530 });
      expect(decide({ latest })).toEqual({ action: 'resume', version: 3, deploymentId: 'dep-7', sinceIndex: 512 });
    });

    it('reports a failed deployment of this spec instead of registering it again, with Nomad\'s description', () => {
      const latest = aDeployment({ JobVersion: 3, Status: 'failed', StatusDescription: 'Failed due to unhealthy allocations - rolling back to job version 2' });
      expect(decide({ latest })).toEqual({
        action: 'last-deployment-failed', version: 3, description: 'Failed due to unhealthy allocations - rolling back to job version 2',
      });
    });

    it.each(['successful', 'cancelled'] as const)('calls the job unchanged when its deployment is %s', (status) => {
      expect(decide({ latest: aDeployment({ JobVersion: 3, Status: status }) })).toEqual({ action: 'unchanged', version: 3 });
    });

    it.each(['running', 'failed'] as const)('ignores a %s deployment of an older job version', (status) => {
      const current = aJobRead({ Version: 4 });
      expect(decide({ current, latest: aDeployment({ JobVersion: 3, Status: status }) })).toEqual({ action: 'unchanged', version: 4 });
    });
  });

  describe('a job someone else owns', () => {
    it('refuses a job of another project, naming its owner', () => {
      expect(decide({ current: aJobRead({ Meta: foreignMeta }) })).toEqual({ action: 'refuse-foreign', owner: 'project "billing", environment "qa"' });
    });

    it('refuses a job of this project deployed to another environment', () => {
      const current = aJobRead({ Meta: { ...droverMeta(), 'drover.env': 'prod' } });
      expect(decide({ current })).toEqual({ action: 'refuse-foreign', owner: 'project "shop", environment "prod"' });
    });

    it('refuses a job drover never deployed', () => {
      expect(decide({ current: aJobRead({ Meta: {} }) })).toEqual({ action: 'refuse-foreign', owner: 'not deployed by drover (no drover.project meta)' });
    });

    it('refuses a job with no meta at all (Nomad sends null)', () => {
      const current = { ...aJobRead(), Meta: null } as unknown as ReturnType<typeof aJobRead>;
      expect(decide({ current })).toEqual({ action: 'refuse-foreign', owner: 'not deployed by drover (no drover.project meta)' });
    });

    it('refuses a foreign job even when it is stopped', () => {
      expect(decide({ current: aJobRead({ Meta: foreignMeta, Stop: true, Status: 'dead' }) })).toEqual({ action: 'refuse-foreign', owner: 'project "billing", environment "qa"' });
    });

    it('with --adopt, registers it even when the spec hash matches, so the job takes this project\'s meta', () => {
      expect(decide({ current: aJobRead({ Meta: foreignMeta }), adopt: true })).toEqual({ action: 'register' });
    });

    it('with --adopt, registers instead of resuming or reporting the other owner\'s deployment', () => {
      const current = aJobRead({ Meta: foreignMeta });
      expect(decide({ current, adopt: true, latest: aDeployment({ Status: 'running' }) })).toEqual({ action: 'register' });
      expect(decide({ current, adopt: true, latest: aDeployment({ Status: 'failed' }) })).toEqual({ action: 'register' });
    });
  });
});

describe('hasAutoscaledGroups', () => {
  it('is false for a job without scaling blocks', () => {
    expect(hasAutoscaledGroups(aRenderedJob())).toBe(false);
  });

  it('is false when every scaling block is disabled', () => {
    const job = aRenderedJob({ TaskGroups: [aTaskGroup({ Scaling: { Min: 1, Max: 5, Enabled: false } })] });
    expect(hasAutoscaledGroups(job)).toBe(false);
  });

  it('is true when any one group has an enabled scaling block', () => {
    const job = aRenderedJob({
      TaskGroups: [aTaskGroup({ Name: 'web' }), aTaskGroup({ Name: 'worker', Scaling: { Min: 1, Max: 10, Enabled: true, Policy: { cooldown: '1m' } } })],
    });
    expect(hasAutoscaledGroups(job)).toBe(true);
  });

  it('is false for a job without groups', () => {
    expect(hasAutoscaledGroups(aRenderedJob({ TaskGroups: [] }))).toBe(false);
  });
});
