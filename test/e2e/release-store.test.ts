/**
 * The release store against the sandbox's Consul over real HTTP: records, the latest-verified
 * pointer, check-and-set updates, the local mirror, and `drover releases` / `drover release show`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConsulClient, type ConsulClient } from '../../src/clients/consul/index.ts';
import { buildRelease, type Release } from '../../src/release/record.ts';
import { createReleaseStore, LATEST_VERIFIED_KEY, type ReleaseStore } from '../../src/release/store.ts';
import type { RunningSandbox } from '../../src/sandbox/server.ts';
import { runCli } from '../support/run-cli.ts';
import { sandboxFor } from '../support/sandbox.ts';
import { tempProject } from '../support/temp-project.ts';

/** A deployed release of job `api` created at `time` (ids sort by it). */
function aRelease(time: string, sha = 'abcdef0123456789abcdef0123456789abcdef01'): Release {
  const createdAt = new Date(time);
  const id = `r-${time.replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}-${sha.slice(0, 7)}`;
  return buildRelease({
    id,
    gitSha: sha,
    project: 'drover',
    sourceEnv: 'qa',
    createdAt,
    createdBy: 'alice@laptop',
    jobs: [{ id: 'api', envFreeHash: '0123456789abcdef', maskedPaths: ['TaskGroups[0].Count'], images: [{ reference: 'ghcr.io/example-shop/api:1.8.2', repository: 'ghcr.io/example-shop/api', tag: '1.8.2' }], specHash: 'fedcba9876543210' }],
    results: [{ job: 'api', outcome: { status: 'succeeded', version: 4, deploymentId: 'dep-1234567890' } }],
  });
}

const verification = (ok: boolean) => ({
  ok,
  startedAt: '2024-01-31T09:46:00.000Z',
  finishedAt: '2024-01-31T09:48:00.000Z',
  smoke: ok
    ? [{ job: 'api', check: 'ready', via: 'consul' as const, ok: true, attempts: 1, request: { method: 'GET', url: 'http://10.0.0.1:31001/ready' }, response: { status: 200, body: 'ok', latencyMs: 3 }, problems: [] }]
    : [{ job: 'api', check: 'ready', via: 'consul' as const, ok: false, attempts: 3, request: { method: 'GET', url: 'http://10.0.0.1:31001/ready' }, response: { status: 503, body: 'db down', latencyMs: 3 }, problems: ['status 503, expected 200'] }],
  soak: { durationMs: 120_000, problems: [] },
});

describe('release store against the sandbox Consul', { timeout: 30_000 }, () => {
  let sandbox: RunningSandbox;
  let consul: ConsulClient;
  let localDir: string;
  let store: ReleaseStore;
  beforeAll(async () => {
    sandbox = await sandboxFor('qa');
    consul = createConsulClient({ address: sandbox.addresses.consul });
  });
  afterAll(async () => {
    consul.close();
    await sandbox.close();
  });
  beforeEach(async () => {
    await consul.kv.delete('drover/releases/', { recurse: true });
    localDir = await mkdtemp(join(tmpdir(), 'drover-releases-'));
    store = createReleaseStore(consul, { env: 'qa', localDir });
    return () => rm(localDir, { recursive: true, force: true });
  });

  it('saves a record under drover/releases/<id>, mirrors it locally, and loads it back', async () => {
    const release = aRelease('2024-01-31T09:45:00Z');
    await store.save(release);
    expect(await store.load(release.id)).toEqual(release);
    expect(JSON.parse((await consul.kv.get(`drover/releases/${release.id}`)).value!)).toEqual(release);
    expect(JSON.parse(await readFile(join(localDir, `${release.id}.json`), 'utf8'))).toEqual(release);
    expect(await store.load('r-19990101-000000-0000000')).toBeNull();
  });

  it('refuses to save a second record with the same id (exit 4)', async () => {
    await store.save(aRelease('2024-01-31T09:45:00Z'));
    await expect(store.save(aRelease('2024-01-31T09:45:00Z'))).rejects.toMatchObject({ exitCode: 4, message: expect.stringContaining('already exists in qa') });
  });

  it('lists records newest first, leaving out the latest-verified pointer', async () => {
    const [older, newer] = [aRelease('2024-01-30T08:00:00Z'), aRelease('2024-01-31T09:45:00Z')];
    await store.save(older);
    await store.save(newer);
    await store.markVerified(older.id, verification(true));
    expect((await store.list()).map((r) => [r.id, r.status])).toEqual([
      [newer.id, 'deployed'],
      [older.id, 'verified'],
    ]);
  });

  it('marks a release verified and points latest-verified at it, never back at an older one', async () => {
    const [older, newer] = [aRelease('2024-01-30T08:00:00Z'), aRelease('2024-01-31T09:45:00Z')];
    await store.save(older);
    await store.save(newer);
    expect(await store.latestVerified()).toBeNull();
    const verified = await store.markVerified(newer.id, verification(true));
    expect(verified).toMatchObject({ status: 'verified', verification: { ok: true } });
    expect((await consul.kv.get(LATEST_VERIFIED_KEY)).value).toBe(newer.id);
    await store.markVerified(older.id, verification(true));
    expect((await store.latestVerified())!.id).toBe(newer.id);
    expect(JSON.parse(await readFile(join(localDir, `${newer.id}.json`), 'utf8')).status).toBe('verified');
  });

  it('marks a release failed, keeps the pointer, and refuses to verify it afterwards', async () => {
    const release = aRelease('2024-01-31T09:45:00Z');
    await store.save(release);
    expect((await store.markFailed(release.id, verification(false))).status).toBe('failed');
    expect(await store.latestVerified()).toBeNull();
    await expect(store.markVerified(release.id, verification(true))).rejects.toMatchObject({ exitCode: 4, message: expect.stringContaining('is failed') });
  });

  it('keeps concurrent updates of one record with check-and-set', async () => {
    const release = aRelease('2024-01-31T09:45:00Z');
    await store.save(release);
    const other = createReleaseStore(consul, { env: 'qa' });
    const outcome = (env: string) => ({ status: 'succeeded' as const, at: '2024-02-01T10:00:00.000Z', by: `${env}@ci`, jobs: {} });
    await Promise.all([store.markVerified(release.id, verification(true)), other.recordOutcome(release.id, 'prod', outcome('prod')), other.recordOutcome(release.id, 'staging', outcome('staging'))]);
    const final = (await store.load(release.id))!;
    expect(final.status).toBe('verified');
    expect(Object.keys(final.promotions).sort()).toEqual(['prod', 'staging']);
  });

  it('refuses (exit 4) to read a record written by a newer drover', async () => {
    await consul.kv.set('drover/releases/r-20990101-000000-abcdef0', JSON.stringify({ ...aRelease('2099-01-01T00:00:00Z'), schema: 2 }));
    await expect(store.load('r-20990101-000000-abcdef0')).rejects.toMatchObject({ exitCode: 4, message: expect.stringContaining('schema 2, this drover reads schema 1') });
  });

  describe('CLI', () => {
    let project: { dir: string; cleanup: () => Promise<void> };
    beforeAll(async () => {
      project = await tempProject();
    });
    afterAll(async () => project.cleanup());
    const cli = (...argv: string[]) => runCli(argv, { cwd: project.dir, env: { NO_COLOR: '1', CONSUL_HTTP_ADDR: sandbox.addresses.consul } });

    it('lists releases with status and the qa and prod outcomes', async () => {
      const [older, newer] = [aRelease('2024-01-30T08:00:00Z'), aRelease('2024-01-31T09:45:00Z', '1234567890abcdef1234567890abcdef12345678')];
      await store.save(older);
      await store.save(newer);
      await store.markVerified(older.id, verification(true));
      await store.recordOutcome(older.id, 'prod', { status: 'succeeded', at: '2024-02-01T10:00:00.000Z', by: 'bob@ci', jobs: { api: { status: 'succeeded', version: 7 } }, forced: { reason: 'hotfix', overrode: [] } });
      // prod's CONSUL_HTTP_ADDR is prod's Consul: qa's records, read for prod, come from DROVER_RELEASES_CONSUL_HTTP_ADDR, as deploy reads them.
      const result = await runCli(['releases', 'prod'], { cwd: project.dir, env: { NO_COLOR: '1', DROVER_RELEASES_CONSUL_HTTP_ADDR: sandbox.addresses.consul } });
      expect(result.code, result.stderr).toBe(0);
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^ID\s+SHA\s+STATUS\s+CREATED\s+BY\s+QA\s+PROD$/);
      expect(lines[1]).toMatch(new RegExp(`^${newer.id}\\s+1234567890ab\\s+deployed\\s+2024-01-31 09:45\\s+alice@laptop\\s+1 jobs ok\\s+-$`));
      expect(lines[2]).toMatch(new RegExp(`^${older.id}\\s+abcdef012345\\s+verified\\s+2024-01-30 08:00\\s+alice@laptop\\s+1 jobs ok\\s+succeeded 2024-02-01 10:00 \\(forced\\)$`));
    });

    it('shows one release with its smoke requests, and says when an id does not exist (exit 64)', async () => {
      const release = aRelease('2024-01-31T09:45:00Z');
      await store.save(release);
      await store.markFailed(release.id, verification(false));
      const shown = await cli('release', 'show', release.id);
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toContain(`Release ${release.id}  failed`);
      expect(shown.stdout).toContain('api / ready (via consul, 3 attempts): status 503, expected 200');
      expect(shown.stdout).toContain('request   GET http://10.0.0.1:31001/ready');
      expect(shown.stdout).toContain('body      "db down"');
      const json = await cli('release', 'show', release.id, '--json');
      expect(JSON.parse(json.stdout)).toMatchObject({ schema: 'drover.release/v1', release: { id: release.id, status: 'failed' } });
      const missing = await cli('release', 'show', 'r-19990101-000000-0000000');
      expect(missing.code).toBe(64);
      expect(missing.stderr).toContain('Release r-19990101-000000-0000000 does not exist');
    });
  });
});
