/**
 * A few read-only Nomad client calls against a real `nomad agent -dev` (whatever `nomad` is on
 * PATH), over real HTTP on 127.0.0.1 with ports of its own (test/support/real-cluster.ts: cloud
 * fingerprinters off, advertise addresses set, no Consul). Skipped, loudly, when there is no
 * nomad binary: the shapes the client narrows were then only checked against the sandbox and the
 * reference examples.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/clients/api-error.ts';
import { createNomadClient, type NomadClient, type NomadEventStreamItem } from '../../src/clients/nomad/index.ts';
import { startRealNomad, type RealNomad } from '../support/real-cluster.ts';
import { missingBinaries } from '../support/real-process.ts';

const binary = missingBinaries('test/integration/nomad-real.test.ts', ['nomad']).length === 0;

describe.skipIf(!binary)('nomad client against a real nomad agent -dev', () => {
  let agent: RealNomad | undefined;
  let nomad: NomadClient;

  beforeAll(async () => {
    agent = await startRealNomad({});
    nomad = createNomadClient({ address: agent.address, retry: { retries: 0 } });
  }, 90_000);

  afterAll(async () => {
    nomad?.close();
    await agent?.stop();
  });

  it('reads the leader, regions, namespaces, metrics and empty lists', async () => {
    expect(await nomad.status.leader()).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await nomad.regions()).toEqual(['global']);
    expect((await nomad.namespaces()).map((n) => n.Name)).toContain('default');
    expect((await nomad.metrics()).Gauges.length).toBeGreaterThan(0);
    const jobs = await nomad.jobs.list();
    expect(jobs.value).toEqual([]);
    // The jobs table was never written: Nomad 2.0.5 answers X-Nomad-Index 0 (the sandbox too).
    expect(jobs.index).toBe(0);
    expect((await nomad.deployments.list()).value).toEqual([]);
    expect((await nomad.jobs.allocations('drover-missing')).value).toEqual([]);
  });

  it('answers 404 as text/plain for a missing job, with X-Nomad-Index', async () => {
    const error = await nomad.jobs.read('drover-missing').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, body: 'job not found' });
  });

  it('opens the event stream and gets the immediate heartbeat', async () => {
    const controller = new AbortController();
    const items: NomadEventStreamItem[] = [];
    const reading = (async () => {
      for await (const item of nomad.events.stream({ topics: [{ topic: 'Node' }], signal: controller.signal })) {
        items.push(item);
        if (item.type === 'heartbeat') controller.abort(new Error('got heartbeat'));
      }
    })().catch((e: unknown) => e);
    expect(await reading).toEqual(new Error('got heartbeat'));
    expect(items.some((i) => i.type === 'heartbeat')).toBe(true);
  });
});
