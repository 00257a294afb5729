/**
 * The Warnings string of register and plan, pinned to Nomad v2.0.5's texts and format
 * (nomad/structs/structs.go Job.Warnings, nomad/job_endpoint_hooks.go, helper/warning.go).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, aJob, startHarness } from './nomad-harness.ts';

const S = 1e9;
const SHUTDOWN = 'group "web" defines services, but neither the group nor any of its tasks have shutdown_delay set';

let h: Harness;
afterEach(() => h.close());

async function warningsOf(job: Record<string, any>, options: { memoryOversubscription?: boolean } = {}): Promise<{ register: string; plan: string }> {
  h = await startHarness({ nomad: { namespaces: ['shop'], ...options } });
  const plan = (await h.call('POST', `/v1/job/${job.ID}/plan`, { Job: job })).json.Warnings as string;
  const register = (await h.register(job)).json.Warnings as string;
  return { register, plan };
}

describe('Nomad warnings on register and plan', () => {
  it('warns about a group service without shutdown_delay, and not once the group has one', async () => {
    expect(await warningsOf(aJob())).toEqual({ register: `1 warning:\n\n* ${SHUTDOWN}`, plan: `1 warning:\n\n* ${SHUTDOWN}` });
    await h.close();
    const delayed = aJob();
    delayed.TaskGroups[0].ShutdownDelay = 5 * S;
    expect(await warningsOf(delayed)).toEqual({ register: '', plan: '' });
  });

  it('warns about update max_parallel above a count above 1, in the group block with the multierror list', async () => {
    const job = aJob({ count: 2, update: { MaxParallel: 3 } });
    job.TaskGroups[0].ShutdownDelay = 5 * S;
    const { register } = await warningsOf(job);
    expect(register).toBe(
      '1 warning:\n\n* Group "web" has warnings: 1 error occurred:\n\t* Update max parallel count is greater than task group count (3 > 2). A destructive change would result in the simultaneous replacement of all allocations.',
    );
    await h.close();
    const single = aJob({ count: 1, update: { MaxParallel: 3 } });
    single.TaskGroups[0].ShutdownDelay = 5 * S;
    expect((await warningsOf(single)).register).toBe('');
  });

  it("lists several warnings in Nomad's order: groups, shutdown delays, auto_promote, cron, then memory_max", async () => {
    const job = aJob({ update: { Canary: 1, AutoPromote: true } });
    const second = structuredClone(job.TaskGroups[0]);
    second.Name = 'admin';
    second.Update = { ...second.Update, AutoPromote: false };
    second.Tasks[0].Resources.MemoryMaxMB = 256;
    job.TaskGroups.push(second);
    const { register, plan } = await warningsOf(job);
    expect(register).toBe(
      [
        '4 warnings:\n',
        `* ${SHUTDOWN}`,
        '* group "admin" defines services, but neither the group nor any of its tasks have shutdown_delay set',
        '* auto_promote must be true for all groups to enable automatic promotion',
        '* Memory oversubscription is not enabled; Task "admin.web" memory_max value will be ignored. Update the Scheduler Configuration to allow oversubscription.',
      ].join('\n'),
    );
    expect(plan).toBe(register);
  });

  it('says nothing about memory_max when the scheduler configuration allows oversubscription', async () => {
    const job = aJob({ memoryMB: 128 });
    job.TaskGroups[0].ShutdownDelay = 5 * S;
    job.TaskGroups[0].Tasks[0].Resources.MemoryMaxMB = 256;
    expect((await warningsOf(job, { memoryOversubscription: true })).register).toBe('');
    await h.close();
    expect((await warningsOf(job)).register).toBe(
      '1 warning:\n\n* Memory oversubscription is not enabled; Task "web.web" memory_max value will be ignored. Update the Scheduler Configuration to allow oversubscription.',
    );
  });

  it('warns that the single-schedule cron field is deprecated, not the crons list', async () => {
    const periodic = (spec: Record<string, unknown>) => ({ ...aJob({ type: 'batch', update: null }), Periodic: { Enabled: true, SpecType: 'cron', ProhibitOverlap: true, TimeZone: 'UTC', ...spec } });
    expect((await warningsOf(periodic({ Spec: '30 4 * * 1' }))).register).toBe('1 warning:\n\n* cron is deprecated and may be removed in a future release. Use crons instead');
    await h.close();
    expect((await warningsOf(periodic({ Specs: ['30 4 * * 1'] }))).register).toBe('');
  });
});
