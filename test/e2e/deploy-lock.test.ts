/**
 * The environment lock (a Consul session on drover/locks/<env>) with two deploys at once, against
 * the sandbox's Consul and against a real Consul agent (1.8.7 from `npm run consul:install`, or
 * `consul` on PATH; loudly skipped when there is none) while Nomad is the sandbox.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DeployEvent } from '../../src/report/events.ts';
import type { RunningSandbox } from '../../src/sandbox/server.ts';
import { consulAvailability, startConsulAgent, warnConsulSkipped } from '../support/consul-agent.ts';
import { deployLive } from '../support/live-deploy.ts';
import { sandboxFor } from '../support/sandbox.ts';
import { tempProject } from '../support/temp-project.ts';

const SHA = '4444444444444444444444444444444444444444';
const availability = consulAvailability();
warnConsulSkipped('test/e2e/deploy-lock.test.ts against a real Consul agent', availability);

interface ConsulTarget {
  /** undefined: the sandbox's own Consul. */
  readonly address: string | undefined;
  stop(): Promise<void>;
}

const targets: [string, boolean, () => Promise<ConsulTarget>][] = [
  ['the sandbox consul', true, async () => ({ address: undefined, stop: async () => undefined })],
  ['a real consul agent', availability.available, () => startConsulAgent()],
];

describe.each(targets)('the environment lock against %s', (_name, available, start) => {
  if (!available) return void it.skip('needs a consul binary (see the warning above)', () => undefined);
  let consul: ConsulTarget;
  let project: { dir: string; cleanup: () => Promise<void> };
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    [consul, project] = await Promise.all([start(), tempProject({ environments: 'standalone' })]);
  }, 60_000);
  afterAll(async () => {
    await consul?.stop();
    await project?.cleanup();
  });
  beforeEach(async () => {
    sandbox = await sandboxFor('qa');
    // About 2 s of wall time to become healthy (clock ×20): the first deploy holds the lock that long.
    sandbox.admin.setScenario({ jobId: 'www', namespace: 'shop' }, { kind: 'slow-healthy', healthyAfterMs: 30_000 });
  });
  afterEach(async () => sandbox.close());

  const consulAddress = () => consul.address ?? sandbox.addresses.consul;
  /** `drover deploy qa --job www` in-process; every event is stamped with when it happened. */
  const deploy = (log: { at: number; event: DeployEvent }[], ...argv: string[]) =>
    deployLive(sandbox, ['qa', '--git-sha', SHA, '--job', 'www', ...argv], {
      cwd: project.dir,
      ...(consul.address ? { consul: consul.address } : {}),
      onEvent: (event) => log.push({ at: performance.now(), event }),
    });
  const when = (log: readonly { at: number; event: DeployEvent }[], type: DeployEvent['type']) => log.find((e) => e.event.type === type)?.at;
  /** Resolves once `log` holds an event of `type`. */
  const eventually = async (log: readonly { event: DeployEvent }[], type: DeployEvent['type']) => {
    for (let waited = 0; !log.some((e) => e.event.type === type); waited += 20) {
      if (waited > 20_000) throw new Error(`no ${type} event after 20 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const lockKey = async () => {
    const response = await fetch(`${consulAddress()}/v1/kv/drover/locks/qa`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { Key: string; Session?: string }[])[0]!;
  };

  it('refuses a second deploy within a second, naming the holder, and frees the key when the first finishes', async () => {
    const firstLog: { at: number; event: DeployEvent }[] = [];
    const first = deploy(firstLog);
    await eventually(firstLog, 'lock-acquired');
    expect((await lockKey()).Session).toMatch(/^[0-9a-f-]{36}$/);

    const started = performance.now();
    const second = await deploy([]);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(second.code, second.stderr).toBe(4);
    expect(second.stderr).toContain('Environment qa is locked by another deploy');
    expect(second.stderr).toMatch(new RegExp(`holder\\s+\\S+@\\S+ \\(pid ${process.pid}, release 444444444444, since \\S+\\)`));
    expect(second.stderr).toContain('drover/locks/qa');
    expect(second.events.filter((e) => e.type === 'job-registered')).toEqual([]);

    const done = await first;
    expect(done.code, done.stderr).toBe(0);
    expect(done.events.filter((e) => e.type === 'job-registered')).toHaveLength(1);
    expect((await lockKey()).Session).toBeUndefined();
  });

  it('makes a second deploy with --wait-lock wait for the first, then deploy', async () => {
    const firstLog: { at: number; event: DeployEvent }[] = [];
    const secondLog: { at: number; event: DeployEvent }[] = [];
    const first = deploy(firstLog);
    await eventually(firstLog, 'lock-acquired');
    const second = deploy(secondLog, '--wait-lock');
    await eventually(secondLog, 'lock-waiting');
    expect(secondLog.find((e) => e.event.type === 'lock-waiting')?.event).toMatchObject({ holder: expect.stringContaining(`pid ${process.pid}`) });

    const [a, b] = await Promise.all([first, second]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    // The second took the lock only once the first had finished (its release is reported after the
    // session is destroyed, which can be later than the key being free), and found nothing left to do.
    expect(when(secondLog, 'lock-acquired')!).toBeGreaterThan(when(firstLog, 'job-finished')!);
    expect(b.events.find((e) => e.type === 'job-finished')).toMatchObject({ outcome: { status: 'unchanged', version: 0 } });
    expect((await lockKey()).Session).toBeUndefined();
  });
});
