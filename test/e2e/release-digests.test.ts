/**
 * Digest pinning end to end: qa lists a REAL registry (Debian's docker-registry) for ghcr.io and
 * docker.io images, as a mirror would stand in for them. `deploy qa` pins every image tag to the
 * digest the registry holds, runs those references in Nomad and records them in the release;
 * someone then pushes a tag again, and `deploy prod` still runs the digest QA verified, while
 * `plan qa` shows that QA would now deploy the moved tag. A tag the registry does not have stops
 * the deploy before the lock, with nothing registered. Skipped loudly without the binary.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/project/project.ts';
import { registryImage } from '../../src/release/image-registry.ts';
import { jobImages } from '../../src/release/fingerprint.ts';
import type { Release } from '../../src/release/record.ts';
import { renderJob } from '../../src/render/job.ts';
import { EXAMPLE_APPS } from '../../src/sandbox/example-apps.ts';
import type { NomadJob } from '../../src/wire/nomad-job.ts';
import { setImageTag } from '../support/live-deploy.ts';
import { warnSkipped } from '../support/prometheus-server.ts';
import { pushImage, registryAvailability, startRegistry, type RegistryServer } from '../support/registry-server.ts';
import { runCli } from '../support/run-cli.ts';
import { nomadGet, runAgainst, sandboxFor, type SeededSandbox } from '../support/sandbox.ts';
import { tempProject } from '../support/temp-project.ts';

const availability = registryAvailability();
warnSkipped('test/e2e/release-digests.test.ts', availability);

const SHA = '7777777777777777777777777777777777777777';

describe.skipIf(!availability.available)('image digests: qa pins tags, prod runs what qa verified', { timeout: 90_000 }, () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  let registry: RegistryServer;
  let qa: SeededSandbox;
  let prod: SeededSandbox;
  /** Digest the registry holds, by reference as jobs/ write it. */
  const pushed = new Map<string, string>();

  beforeAll(async () => {
    project = await tempProject();
    registry = await startRegistry();
    const qaFile = join(project.dir, 'environments/qa.ts');
    const text = await readFile(qaFile, 'utf8');
    const anchor = "  nodePool: 'default',\n";
    if (!text.includes(anchor)) throw new Error(`no nodePool line in ${qaFile} to add registries after`);
    await writeFile(qaFile, text.replace(anchor, `${anchor}  registries: [{ host: 'ghcr.io', address: '${registry.address}' }, { host: 'docker.io', address: '${registry.address}' }],\n`));
    // Every image the qa jobs run (the wait-for helper's busybox included), pushed as jobs/ name it.
    const loaded = await loadProject({ root: project.dir });
    const qaEnv = loaded.environments.find((m) => m.value.name === 'qa')!.value;
    const references = new Set(loaded.jobs.flatMap(({ value }) => jobImages(renderJob(value.build(qaEnv), { env: qaEnv, project: 'drover', gitSha: SHA, release: 'x' })).map((i) => i.reference)));
    for (const reference of references) {
      const image = registryImage(reference);
      pushed.set(reference, (await pushImage(registry, image.name, image.tag!, { salt: 'first' })).digest);
    }
    const seed = 3_000 + (process.pid % 50_000) * 2;
    [qa, prod] = await Promise.all([sandboxFor('qa', { seed }), sandboxFor('prod', { seed: seed + 1 })]);
    for (const [service, behaviour] of Object.entries(EXAMPLE_APPS)) qa.fabio.setApp(service, behaviour);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([qa?.close(), prod?.close(), registry?.stop()]);
    await project?.cleanup();
  });

  const deployQa = (...argv: string[]) => runAgainst(qa, ['deploy', 'qa', '--git-sha', SHA, '--soak', '1s', ...argv], { cwd: project.dir, env: { VAULT_TOKEN: qa.deployerToken } });
  const submitted = async (sandbox: SeededSandbox, id: string) => nomadGet<NomadJob>(sandbox, `/v1/job/${id}?namespace=shop`);
  const latestRelease = async (): Promise<Release> => {
    const listed = await runCli(['releases', 'qa', '--json'], { cwd: project.dir, env: { CONSUL_HTTP_ADDR: qa.addresses.consul } });
    return (JSON.parse(listed.stdout) as { releases: Release[] }).releases[0]!;
  };

  it('deploy qa runs and records every image at the digest its tag pointed at', async () => {
    const run = await deployQa();
    expect(run.code, run.stderr).toBe(0);
    const pinnedEvent = run.events.find((e) => e.type === 'images-pinned');
    expect(pinnedEvent).toMatchObject({ env: 'qa', asWritten: [] });
    expect(Object.fromEntries(pinnedEvent!.type === 'images-pinned' ? pinnedEvent!.pinned.map((p) => [p.reference, p.digest]) : [])).toEqual(Object.fromEntries(pushed));
    const release = await latestRelease();
    expect(release.status).toBe('verified');
    for (const [id, job] of Object.entries(release.jobs)) {
      for (const image of job.images) expect(image.digest, `${id} ${image.reference}`).toBe(pushed.get(`${image.repository}:${image.tag}`));
      expect(jobImages(await submitted(qa, id)).map((i) => i.reference), id).toEqual(job.images.map((i) => i.reference));
    }
    expect(jobImages(await submitted(qa, 'api')).map((i) => i.reference)).toContain(`ghcr.io/example-shop/api:1.8.2@${pushed.get('ghcr.io/example-shop/api:1.8.2')}`);
  });

  it('after the tag is pushed again, deploy prod still runs the digest qa verified; plan qa shows qa would take the moved tag', async () => {
    const moved = await pushImage(registry, 'example-shop/api', '1.8.2', { salt: 'second' });
    const verified = pushed.get('ghcr.io/example-shop/api:1.8.2')!;
    expect(moved.digest).not.toBe(verified);

    const run = await runAgainst(prod, ['deploy', 'prod', '--yes'], { cwd: project.dir, env: { VAULT_TOKEN: prod.deployerToken, DROVER_RELEASES_CONSUL_HTTP_ADDR: qa.addresses.consul } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.events.some((e) => e.type === 'images-pinned')).toBe(false); // prod looks nothing up: the release decides
    const inProd = jobImages(await submitted(prod, 'api')).map((i) => i.reference);
    expect(inProd).toContain(`ghcr.io/example-shop/api:1.8.2@${verified}`);
    expect(inProd.join(' ')).not.toContain(moved.digest);

    const plan = await runAgainst(qa, ['plan', 'qa', '--git-sha', SHA], { cwd: project.dir });
    expect(plan.code, plan.stderr).toBe(1);
    const doc = JSON.parse(await readFile(join(project.dir, 'build/qa/plan.json'), 'utf8')) as { jobs: { id: string; changes: boolean }[] };
    expect(doc.jobs.filter((j) => j.changes).map((j) => j.id)).toEqual(['api']);
  });

  it('a tag the registry does not have stops deploy qa before the lock (exit 4), naming the image; nothing is registered', async () => {
    await setImageTag(project.dir, 'worker', '9.9.9');
    const run = await deployQa();
    expect(run.code, run.stderr).toBe(4);
    expect(run.stderr).toContain('Could not pin an image to its digest for qa; nothing was deployed');
    expect(run.stderr).toMatch(/ghcr\.io\/example-shop\/worker:9\.9\.9\s+no such tag in the registry \(HTTP 404\)/);
    expect(run.stderr).toContain('push it, or fix the tag in the job');
    expect(run.events.map((e) => e.type)).not.toContain('lock-acquired');
    expect(run.events.map((e) => e.type)).not.toContain('job-registered');
  });
});
