import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.ts';
import { spawnDrover } from '../support/drover-process.ts';
import { sandboxFor } from '../support/sandbox.ts';
import { tempProject } from '../support/temp-project.ts';

describe('Ctrl-C during a deploy', { timeout: 60_000 }, () => {
  let sandbox: RunningSandbox;
  let project: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    sandbox = await sandboxFor('qa');
    project = await tempProject({ environments: 'standalone' });
  });
  afterAll(async () => {
    await sandbox.close();
    await project.cleanup();
  });

  it('exits 130, says the deployment continues in Nomad, and releases the environment lock', async () => {
    sandbox.admin.setScenario({ jobId: 'postgres', namespace: 'shop' }, { kind: 'slow-healthy', healthyAfterMs: 600_000 });
    const env = { NOMAD_ADDR: sandbox.addresses.nomad, CONSUL_HTTP_ADDR: sandbox.addresses.consul, VAULT_ADDR: sandbox.addresses.vault, VAULT_TOKEN: sandbox.vaultToken };
    const drover = spawnDrover(['deploy', 'qa', '--git-sha', '3333333333333333333333333333333333333333'], { cwd: project.dir, env });
    await drover.waitFor((e) => e.type === 'job-registered' && e.job === 'postgres');
    const exit = await drover.kill('SIGINT');
    expect(exit.code).toBe(130);
    expect(exit.stderr).toContain('Interrupted');
    expect(exit.stderr).toContain('The deployment continues in Nomad');
    expect(drover.events.some((e) => e.type === 'lock-released')).toBe(true);
    const lock = await fetch(`${sandbox.addresses.consul}/v1/kv/drover/locks/qa`).then((r) => r.json() as Promise<{ Session?: string }[]>);
    expect(lock[0]?.Session).toBeUndefined();
  });
});
