/**
 * Nomad's registration and plan warnings reach the user: `drover plan` lists them per job and
 * reports them as events, `drover deploy` reports them before registering (and any new ones the
 * registration adds), in every reporter. The sandbox answers Nomad 2.0.5's texts.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsulClient } from '../../src/clients/consul/index.ts';
import { createNomadClient, type NomadClient } from '../../src/clients/nomad/index.ts';
import { deploy } from '../../src/deploy/deploy.ts';
import type { DeployEvent } from '../../src/report/events.ts';
import { runCli } from '../support/run-cli.ts';
import { runAgainst, sandboxFor, type SeededSandbox } from '../support/sandbox.ts';
import { tempProject } from '../support/temp-project.ts';

const SHA = '7777777777777777777777777777777777777777';
// The sandbox's scheduler configuration leaves memory oversubscription off, as Nomad's default does: www's memory_max draws a warning.
const MEMORY = 'Memory oversubscription is not enabled; Task "web.nginx" memory_max value will be ignored. Update the Scheduler Configuration to allow oversubscription.';

describe("Nomad's warnings on plan and deploy", { timeout: 60_000 }, () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  let sandbox: SeededSandbox;
  beforeAll(async () => {
    project = await tempProject();
    sandbox = await sandboxFor('qa');
  });
  afterAll(async () => {
    await sandbox?.close();
    await project?.cleanup();
  });
  const sandboxEnv = () => ({ NO_COLOR: '1', CI: 'true', NOMAD_ADDR: sandbox.addresses.nomad, CONSUL_HTTP_ADDR: sandbox.addresses.consul, VAULT_ADDR: sandbox.addresses.vault, VAULT_TOKEN: sandbox.deployerToken });

  it('plan lists them under the job, writes them to the plan file and reports them as events', async () => {
    const result = await runAgainst(sandbox, ['plan', 'qa', '--job', 'www', '--git-sha', SHA], { cwd: project.dir });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain(`    warning: ${MEMORY}`);
    expect(result.events.filter((e) => e.type === 'job-warnings')).toEqual([{ type: 'job-warnings', job: 'www', source: 'plan', warnings: [MEMORY], time: expect.any(String) }]);
    const file = JSON.parse(await readFile(join(project.dir, 'build/qa/plan.json'), 'utf8')) as { jobs: { id: string; warnings?: string[] }[] };
    expect(file.jobs.find((j) => j.id === 'www')?.warnings).toEqual([MEMORY]);
  });

  it('deploy prints them before registering, in the plain reporter too', async () => {
    const result = await runCli(['deploy', 'qa', '--job', 'www', '--git-sha', SHA, '--output', 'plain'], { cwd: project.dir, env: sandboxEnv() });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stderr.split('\n');
    const warned = lines.indexOf(`⚠ [www] Nomad warns: ${MEMORY}`);
    expect(warned).toBeGreaterThanOrEqual(0);
    expect(warned).toBeLessThan(lines.findIndex((l) => l.startsWith('[www] registered version')));
    // Once, from the plan: the registration said the same.
    expect(lines.filter((l) => l.includes('Nomad warns'))).toHaveLength(1);
  });

  it('deploy reports warnings the registration adds to what the plan said', async () => {
    const nomad = createNomadClient({ address: sandbox.addresses.nomad, namespace: 'shop' });
    const consul = createConsulClient({ address: sandbox.addresses.consul });
    // The cluster as it answered the plan a moment earlier, before memory oversubscription was turned off, say.
    const quietPlan: NomadClient = { ...nomad, jobs: { ...nomad.jobs, plan: async (job, opts) => ({ ...(await nomad.jobs.plan(job, opts)), Warnings: '' }) } };
    const { Job: job } = JSON.parse(await runRender(project.dir)) as { Job: Parameters<NomadClient['jobs']['register']>[0] };
    const events: DeployEvent[] = [];
    try {
      const results = await deploy(
        { env: 'qa', project: 'drover', release: 'r-warn', jobs: [{ id: 'www-again', job: { ...job, ID: 'www-again', Name: 'www-again' }, dependsOn: [] }] },
        { nomad: quietPlan, consul, report: (e) => events.push(e), signal: new AbortController().signal },
      );
      expect(results[0]!.outcome.status).toBe('succeeded');
    } finally {
      nomad.close();
      consul.close();
    }
    const warnings = events.filter((e) => e.type === 'job-warnings');
    expect(warnings).toEqual([
      {
        type: 'job-warnings',
        job: 'www-again',
        source: 'register',
        warnings: [MEMORY],
      },
    ]);
  });
});

/** `www` rendered for qa, as deploy would register it. */
async function runRender(dir: string): Promise<string> {
  const result = await runCli(['render', 'qa', '--job', 'www', '--git-sha', SHA], { cwd: dir });
  if (result.code !== 0) throw new Error(`render: ${result.stderr}`);
  return readFile(join(dir, 'build/qa/www.json'), 'utf8');
}
