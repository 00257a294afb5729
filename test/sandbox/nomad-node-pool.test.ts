import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, aJob, startHarness } from './nomad-harness.ts';

let h: Harness | undefined;
afterEach(() => h?.close());

/** Nomad's plan of `job`: the groups it could not place. */
async function failedGroups(harness: Harness, job: Record<string, unknown>): Promise<string[]> {
  const answer = await harness.call('POST', `/v1/job/${String(job.ID)}/plan`, { Job: job });
  expect(answer.status).toBe(200);
  return Object.keys((answer.json as { FailedTGAllocs?: Record<string, unknown> | null }).FailedTGAllocs ?? {});
}

describe('the simulated nodes\' node pool (nomad.nodePool)', () => {
  it('places a job of the configured pool and not one of another pool', async () => {
    h = await startHarness({ nomad: { datacenters: ['eu1'], nodePool: 'web' } });
    const { nodes } = (await h.get('/_sandbox')).json as { nodes: { NodePool: string }[] };
    expect(nodes.map((n) => n.NodePool)).toEqual(['web', 'web', 'web']);
    expect(await failedGroups(h, { ...aJob(), Datacenters: ['eu1'], NodePool: 'web' })).toEqual([]);
    expect(await failedGroups(h, { ...aJob(), Datacenters: ['eu1'], NodePool: 'default' })).toEqual(['web']);
  });

  it('keeps Nomad\'s "default" pool when none is given', async () => {
    h = await startHarness();
    expect(await failedGroups(h, { ...aJob(), NodePool: 'default' })).toEqual([]);
    expect(await failedGroups(h, { ...aJob(), NodePool: 'web' })).toEqual(['web']);
  });
});
