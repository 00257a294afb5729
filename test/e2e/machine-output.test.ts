/**
 * Issue 12: machine output alone on stdout. Every command's real output, run in-process against
 * the sandbox, is parsed as a program would and checked against docs/schemas/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTPUT_SCHEMAS } from '../../src/report/documents.ts';
import { createSandboxClock } from '../../src/sandbox/clock.ts';
import { createConsulService } from '../../src/sandbox/consul/index.ts';
import { EXAMPLE_APPS } from '../../src/sandbox/example-apps.ts';
import { loadSchema, schemaErrors } from '../support/json-schema.ts';
import { runCli, type CliResult } from '../support/run-cli.ts';
import { sandboxFor, type SeededSandbox } from '../support/sandbox.ts';
import { serve } from '../support/serve-sandbox-service.ts';
import { tempProject } from '../support/temp-project.ts';

const SHA = '4242424242424242424242424242424242424242';

describe('machine output against the sandbox', { timeout: 90_000 }, () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  let qa: SeededSandbox;
  let deployed: CliResult;

  /** The variables CI would export for qa (no TTY, no colour), plus `extra`. */
  const qaEnv = (extra: Record<string, string> = {}) => ({
    NO_COLOR: '1',
    CI: 'true',
    NOMAD_ADDR: qa.addresses.nomad,
    CONSUL_HTTP_ADDR: qa.addresses.consul,
    VAULT_ADDR: qa.addresses.vault,
    VAULT_TOKEN: qa.deployerToken,
    DROVER_FABIO_ADDR: qa.addresses.fabio,
    ...extra,
  });
  const cli = (argv: string[], extra: Record<string, string> = {}) => runCli(argv, { cwd: project.dir, env: qaEnv(extra) });

  beforeAll(async () => {
    // qa → prod as the project has them: a qa deploy records a release that prod would take.
    project = await tempProject();
    qa = await sandboxFor('qa', { seed: 7_000 + (process.pid % 50_000) * 2 });
    for (const [service, behaviour] of Object.entries(EXAMPLE_APPS)) qa.fabio.setApp(service, behaviour);
    deployed = await cli(['deploy', 'qa', '--git-sha', SHA, '--soak', '1s', '--output', 'ndjson']);
  }, 60_000);

  afterAll(async () => {
    await qa?.close();
    await project?.cleanup();
  });

  it('deploy --output ndjson: every stdout line is a JSON record, the summary is the last one, the table is on stderr', () => {
    expect(deployed.code, deployed.stderr).toBe(0);
    const lines = deployed.stdout.split('\n');
    expect(lines.pop()).toBe('');
    const records = lines.map((line, i) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`stdout line ${i + 1} is not JSON: ${line}`);
      }
    });
    const event = loadSchema('event');
    expect(records.flatMap((r) => schemaErrors(r, event))).toEqual([]);
    const last = records.at(-1)!;
    expect(schemaErrors(last, loadSchema('deploy-finished'))).toEqual([]);
    expect(last).toMatchObject({ type: 'deploy-finished', env: 'qa', exitCode: 0 });
    expect(records.filter((r) => r.type === 'deploy-finished')).toHaveLength(1);
    expect((last.results as { job: string }[]).map((r) => r.job).sort()).toEqual(['api', 'db-backup', 'fabio', 'log-shipper', 'node-exporter', 'postgres', 'worker', 'www']);
    // What people read: the summary table and the next step, on stderr.
    expect(deployed.stderr).toMatch(/^JOB\s+RESULT\s+VERSION\s+DETAIL$/m);
    expect(deployed.stderr).toMatch(/→ Release \S+ is verified; deploy it with: drover deploy prod/);
  });

  /** stdout parsed as one JSON document (JSON.parse refuses anything before or after it). */
  const documentOf = (result: CliResult, command: keyof typeof OUTPUT_SCHEMAS) => {
    const doc = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(schemaErrors(doc, loadSchema(command)), `${command}: ${result.stdout.slice(0, 400)}`).toEqual([]);
    expect(doc.schema).toBe(OUTPUT_SCHEMAS[command]);
    return doc;
  };

  it('each --output json command prints one document on stdout that matches its documented schema', async () => {
    expect(deployed.code, deployed.stderr).toBe(0);
    const status = await cli(['status', 'qa', '--output', 'json']);
    expect(status.code, status.stderr).toBe(0);
    expect((documentOf(status, 'status').jobs as { id: string; version: number | null }[]).find((j) => j.id === 'api')).toMatchObject({ version: 0 });

    const history = await cli(['history', 'qa', '--job', 'api', '--output', 'json']);
    expect(history.code, history.stderr).toBe(0);
    expect(documentOf(history, 'history')).toMatchObject({ env: 'qa', job: 'api', versions: [{ version: 0, current: true }] });

    const plan = await cli(['plan', 'qa', '--git-sha', SHA, '--output', 'json']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(documentOf(plan, 'plan')).toMatchObject({ env: 'qa', changes: false, planFile: 'build/qa/plan.json' });

    const releases = await cli(['releases', 'qa', '--output', 'json']);
    expect(releases.code, releases.stderr).toBe(0);
    const listed = documentOf(releases, 'releases');
    expect(listed).toMatchObject({ source: 'qa', targets: ['prod'], releases: [{ gitSha: SHA, status: 'verified' }] });
    // --json stays, as the same document.
    expect((await cli(['releases', 'qa', '--json'])).stdout).toBe(releases.stdout);

    const id = (listed.releases as { id: string }[])[0]!.id;
    const shown = await cli(['release', 'show', id, 'qa', '--output', 'json']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(documentOf(shown, 'release')).toMatchObject({ source: 'qa', release: { id } });

    const jobs = await cli(['jobs', 'qa', '--output', 'json']);
    expect(jobs.code, jobs.stderr).toBe(0);
    const waves = documentOf(jobs, 'jobs');
    expect((waves.jobs as { id: string; wave: number }[]).find((j) => j.id === 'postgres')?.wave).toBe(1);

    const validate = await cli(['validate', '--output', 'json']);
    expect(validate.code, validate.stderr).toBe(0);
    expect((documentOf(validate, 'validate').environments as { env: string }[]).map((e) => e.env).sort()).toEqual(['dev', 'prod', 'qa']);
  });

  it('releases prod reads qa’s records from DROVER_RELEASES_CONSUL_HTTP_ADDR, and names it when it does not answer', async () => {
    // prod's CONSUL_HTTP_ADDR is not qa's Consul: only the releases variable leads there.
    const prod = { CONSUL_HTTP_ADDR: 'http://127.0.0.1:1' };
    const listed = await cli(['releases', 'prod', '--json'], { ...prod, DROVER_RELEASES_CONSUL_HTTP_ADDR: qa.addresses.consul });
    expect(listed.code, listed.stderr).toBe(0);
    const doc = documentOf(listed, 'releases');
    expect(doc).toMatchObject({ source: 'qa', releases: [{ gitSha: SHA }] });
    const id = (doc.releases as { id: string }[])[0]!.id;
    const shown = await cli(['release', 'show', id, 'prod'], { ...prod, DROVER_RELEASES_CONSUL_HTTP_ADDR: qa.addresses.consul });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(id);

    const closed = await cli(['releases', 'prod'], { DROVER_RELEASES_CONSUL_HTTP_ADDR: 'http://127.0.0.1:1' });
    expect(closed.code).toBe(69);
    expect(closed.stderr).toContain("✖ Consul holding qa's releases at http://127.0.0.1:1 (from DROVER_RELEASES_CONSUL_HTTP_ADDR) refused the connection");
    expect(closed.stdout).toBe('');
    // Unset, the address is qa's file's (a name that resolves nowhere here), and the message says the variable is unset.
    const unset = await cli(['releases', 'prod'], prod);
    expect(unset.code).toBe(69);
    expect(unset.stderr).toContain("✖ Consul holding qa's releases at https://consul.qa.example.internal:8501 (from environments/qa.ts; DROVER_RELEASES_CONSUL_HTTP_ADDR is not set)");
    expect(unset.stderr).not.toContain('127.0.0.1:1');
  });

  it('refuses --output json where there is no document (promote, rollback, deploy) with a usage error naming ndjson', async () => {
    for (const argv of [['promote', 'qa'], ['rollback', 'qa', '--job', 'api']]) {
      const result = await cli([...argv, '--output', 'json']);
      expect(result.code, result.stderr).toBe(64);
      expect(result.stderr).toContain('Use --output ndjson');
      expect(result.stdout).toBe('');
    }
    expect((await cli(['deploy', 'qa', '--output', 'json'])).code).toBe(64);
  });

  it('names the address and the variable when Nomad refuses the connection', async () => {
    const result = await cli(['status', 'qa'], { NOMAD_ADDR: 'http://127.0.0.1:1' });
    expect(result.code).toBe(69);
    expect(result.stderr).toContain('✖ Nomad at http://127.0.0.1:1 (from NOMAD_ADDR) refused the connection');
    expect(result.stderr).toContain('→ Check NOMAD_ADDR');
  });
});

describe('not allowed: exit 77 naming the variable and the address', { timeout: 60_000 }, () => {
  const ACL_TOKEN = 'a6c3e2f0-0000-4000-8000-00000000acl1';
  let project: { dir: string; cleanup: () => Promise<void> };
  let sandbox: SeededSandbox;

  beforeAll(async () => {
    project = await tempProject({ environments: 'standalone' });
    sandbox = await sandboxFor('qa', { nomad: { aclToken: ACL_TOKEN } });
  });

  afterAll(async () => {
    await sandbox?.close();
    await project?.cleanup();
  });

  const env = (extra: Record<string, string | undefined>) => ({
    NO_COLOR: '1',
    CI: 'true',
    NOMAD_ADDR: sandbox.addresses.nomad,
    CONSUL_HTTP_ADDR: sandbox.addresses.consul,
    VAULT_ADDR: sandbox.addresses.vault,
    VAULT_TOKEN: sandbox.deployerToken,
    ...extra,
  });
  const cli = (argv: string[], extra: Record<string, string | undefined>) => runCli(argv, { cwd: project.dir, env: env(extra) });

  it('a missing NOMAD_TOKEN', async () => {
    const result = await cli(['status', 'qa'], {});
    expect(result.code, result.stderr).toBe(77);
    expect(result.stderr).toContain(`✖ Nomad at ${sandbox.addresses.nomad} (from NOMAD_ADDR) denied GET /v1/jobs`);
    expect(result.stderr).toMatch(/: NOMAD_TOKEN is not set\n/);
  });

  it('a wrong NOMAD_TOKEN, where the right one is let in', async () => {
    const wrong = await cli(['status', 'qa'], { NOMAD_TOKEN: 'not-the-token' });
    expect(wrong.code, wrong.stderr).toBe(77);
    expect(wrong.stderr).toContain(`✖ Nomad at ${sandbox.addresses.nomad} (from NOMAD_ADDR) refused the token in NOMAD_TOKEN for GET /v1/jobs`);
    expect(wrong.stderr).not.toContain('not-the-token');
    const right = await cli(['status', 'qa'], { NOMAD_TOKEN: ACL_TOKEN });
    expect(right.code, right.stderr).toBe(0);
  });

  it('a wrong VAULT_TOKEN when deploying a job that reads secrets', async () => {
    const result = await cli(['deploy', 'qa', '--git-sha', SHA, '--job', 'api', '--output', 'ndjson'], { NOMAD_TOKEN: ACL_TOKEN, VAULT_TOKEN: 'hvs.wrong' });
    expect(result.code, result.stderr).toBe(77);
    expect(result.stderr).toContain(`✖ Vault at ${sandbox.addresses.vault} (from VAULT_ADDR) refused the token in VAULT_TOKEN (qa)`);
    expect(result.stdout).not.toContain('"job-registered"');
  });

  it('a missing VAULT_TOKEN', async () => {
    const result = await cli(['deploy', 'qa', '--git-sha', SHA, '--job', 'api'], { NOMAD_TOKEN: ACL_TOKEN, VAULT_TOKEN: undefined });
    expect(result.code, result.stderr).toBe(77);
    expect(result.stderr).toContain(`✖ Vault at ${sandbox.addresses.vault} (from VAULT_ADDR) cannot be checked: VAULT_TOKEN is not set`);
  });

  it('Consul with ACLs: a wrong CONSUL_HTTP_TOKEN for qa’s releases exits 77; a missing one is named when the list comes back empty', async () => {
    const consul = await serve(createConsulService({ clock: createSandboxClock({ speed: 0 }), acl: { defaultPolicy: 'deny', tokens: [{ secretId: 'reader', rules: { key_prefix: { 'drover/': 'read' } } }] } }));
    try {
      const wrong = await cli(['releases', 'qa'], { CONSUL_HTTP_ADDR: consul.address, CONSUL_HTTP_TOKEN: 'not-the-token' });
      expect(wrong.code, wrong.stderr).toBe(77);
      expect(wrong.stderr).toContain(`✖ Consul holding qa's releases at ${consul.address} (from CONSUL_HTTP_ADDR) refused the token in CONSUL_HTTP_TOKEN`);
      // Consul filters a listing for a token without read rights (404, not 403), as the real one does: drover can only point at the variable.
      const missing = await cli(['releases', 'qa'], { CONSUL_HTTP_ADDR: consul.address });
      expect(missing.code, missing.stderr).toBe(0);
      expect(missing.stderr).toContain('No releases in qa yet (CONSUL_HTTP_TOKEN is not set: if that Consul has ACLs, it shows an anonymous request nothing)');
      const reader = await cli(['releases', 'qa', '--output', 'json'], { CONSUL_HTTP_ADDR: consul.address, CONSUL_HTTP_TOKEN: 'reader' });
      expect(reader.code, reader.stderr).toBe(0);
      expect(JSON.parse(reader.stdout)).toMatchObject({ schema: 'drover.releases/v1', releases: [] });
    } finally {
      await consul.close();
    }
  });
});
