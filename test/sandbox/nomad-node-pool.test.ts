import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, aJob, seconds, startHarness } from './nomad-harness.ts';

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

  it('registers service meta interpolated with the node, as a Nomad client does (drover_datacenter: ${node.datacenter})', async () => {
    h = await startHarness({ nomad: { datacenters: ['eu1'], nodePool: 'web' } });
    const job = aJob({ count: 1, update: null, checks: false });
    const group = (job.TaskGroups as { Services: Record<string, unknown>[] }[])[0]!;
    group.Services[0]!.Meta = { drover_datacenter: '${node.datacenter}', pool: '${node.pool}', alloc: '${NOMAD_ALLOC_ID}', kept: '${attr.unknown}' };
    await h.register({ ...job, Datacenters: ['eu1'], NodePool: 'web' });
    await h.advance(seconds(10));
    const [entry] = (await h.call('GET', `${h.consul}/v1/catalog/service/web`)).json as { ServiceMeta: Record<string, string>; ServiceID: string }[];
    expect(entry!.ServiceMeta).toEqual({ drover_datacenter: 'eu1', pool: 'web', alloc: entry!.ServiceID.slice('_nomad-task-'.length, '_nomad-task-'.length + 36), kept: '${attr.unknown}', 'external-source': 'nomad' });
  });
});
