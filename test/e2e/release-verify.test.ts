/**
 * QA verification end to end: `www` deployed to the sandbox's Nomad, its release recorded in the
 * sandbox's Consul, then verified with smoke checks through a node:http stand-in for Fabio and a
 * short soak reading the real allocation list.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import prod from '../../environments/prod.ts';
import qa from '../../environments/qa.ts';
import { createConsulClient, type ConsulClient } from '../../src/clients/consul/index.ts';
import { createNomadClient, type NomadClient } from '../../src/clients/nomad/index.ts';
import { defineEnvironment } from '../../src/config/environment.ts';
import { deploy } from '../../src/deploy/deploy.ts';
import type { JobSpec } from '../../src/model/job.ts';
import { createRelease } from '../../src/release/create.ts';
import { ReleaseVerificationError } from '../../src/release/errors.ts';
import type { ReleaseEvent } from '../../src/release/events.ts';
import { releaseId } from '../../src/release/record.ts';
import { createReleaseStore, type ReleaseStore } from '../../src/release/store.ts';
import { verifyRelease } from '../../src/release/verify.ts';
import { renderJob } from '../../src/render/job.ts';
import type { RunningSandbox } from '../../src/sandbox/server.ts';
import { loadExampleJobs } from '../support/example-jobs.ts';
import { sandboxFor } from '../support/sandbox.ts';

const SHA = '4444444444444444444444444444444444444444';
const definitions = (await loadExampleJobs()).map(({ definition }) => ({ value: definition }));

describe('release verification against the sandbox', { timeout: 60_000 }, () => {
  let sandbox: RunningSandbox;
  let nomad: NomadClient;
  let consul: ConsulClient;
  let fabio: Server;
  let env: typeof qa;
  let store: ReleaseStore;
  let localDir: string;
  let www: JobSpec;
  beforeAll(async () => {
    sandbox = await sandboxFor('qa');
    nomad = createNomadClient({ address: sandbox.addresses.nomad, namespace: 'shop' });
    consul = createConsulClient({ address: sandbox.addresses.consul });
    // Fabio's stand-in: the storefront behind host www.qa.example.internal.
    fabio = createServer((req, res) => (req.headers.host === 'www.qa.example.internal' ? res.end('<html><title>Shop</title>') : res.writeHead(404).end('no route')));
    await new Promise<void>((resolve) => fabio.listen(0, '127.0.0.1', resolve));
    env = defineEnvironment({ ...qa, fabio: { ...qa.fabio, address: `http://127.0.0.1:${(fabio.address() as AddressInfo).port}` } });
    localDir = await mkdtemp(join(tmpdir(), 'drover-releases-'));
    store = createReleaseStore(consul, { env: 'qa', localDir });
    const spec = definitions.map((d) => d.value.build(env)).find((s) => s.id === 'www')!;
    // The example's via-consul check would reach the simulated node's address, which serves nothing.
    www = { ...spec, smoke: spec.smoke?.filter((c) => c.via === 'fabio') };
  });
  afterAll(async () => {
    nomad.close();
    consul.close();
    fabio.close();
    await sandbox.close();
    await rm(localDir, { recursive: true, force: true });
  });

  /** Deploys www to the sandbox as release `id` and records the release. */
  async function deployAndRecord(at: Date) {
    const id = releaseId(at, SHA);
    const jobs = [{ id: 'www', job: renderJob(www, { env, project: 'drover', gitSha: SHA, release: id }), dependsOn: [] }];
    const results = await deploy({ env: 'qa', project: 'drover', release: id, jobs, promote: true }, { nomad, consul, report: () => undefined, signal: AbortSignal.timeout(30_000) });
    expect(results.map((r) => r.outcome.status)).toEqual([expect.stringMatching(/^(succeeded|unchanged)$/)]);
    return createRelease({ id, gitSha: SHA, project: { name: 'drover', definitions, environments: [env, prod] }, env, jobs, results, now: at, operator: 'ci@runner' }, { store });
  }

  it('verifies a healthy release: smoke checks pass, the soak sees no failure, latest-verified points at it', async () => {
    const release = await deployAndRecord(new Date('2024-03-01T10:00:00Z'));
    expect(release.status).toBe('deployed');
    expect(release.jobs.www!.source.version).toBe(0);
    const events: ReleaseEvent[] = [];
    const verified = await verifyRelease({ release, env, jobs: [www], soak: '200ms' }, { store, nomad, consul, report: (e) => events.push(e) });
    expect(verified.status).toBe('verified');
    expect(verified.verification!.smoke).toMatchObject([{ job: 'www', check: 'home page', ok: true, response: { status: 200 } }]);
    expect(verified.verification!.soak).toEqual({ durationMs: 200, problems: [] });
    expect((await store.latestVerified())!.id).toBe(release.id);
    expect(events.map((e) => e.type)).toEqual(['smoke-finished', 'soak-started', 'soak-finished', 'release-verified']);
  });

  it('fails a release whose smoke check gets the wrong body, exit 1 with the request and response, recorded as failed', async () => {
    const release = await deployAndRecord(new Date('2024-03-01T11:00:00Z'));
    const strict = { ...www, smoke: [{ name: 'home page', via: 'fabio' as const, path: '/', host: 'www.qa.example.internal', bodyPattern: 'Checkout', retries: 0 }] };
    const error = await verifyRelease({ release, env, jobs: [strict], soak: '10ms' }, { store, nomad, consul }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReleaseVerificationError);
    expect((error as ReleaseVerificationError).exitCode).toBe(1);
    expect((error as ReleaseVerificationError).context.smoke).toMatch(/request {3}GET http:\/\/127\.0\.0\.1:\d+\/ \(Host: www\.qa\.example\.internal\)/);
    expect((error as ReleaseVerificationError).context.smoke).toContain('body      "<html><title>Shop</title>"');
    const stored = (await store.load(release.id))!;
    expect(stored.status).toBe('failed');
    expect(stored.verification!.smoke[0]).toMatchObject({ ok: false, problems: ['body does not match /Checkout/'], response: { status: 200, body: '<html><title>Shop</title>' } });
    expect((await store.latestVerified())!.id).not.toBe(release.id);
  });
});
