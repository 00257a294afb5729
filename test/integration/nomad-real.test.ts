/**
 * A few read-only Nomad client calls against a real `nomad agent -dev` (whatever `nomad` is on
 * PATH), over real HTTP on 127.0.0.1 with ports of its own. Skipped, loudly, when there is no
 * nomad binary: the shapes the client narrows were then only checked against the sandbox and the
 * reference examples.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/clients/api-error.ts';
import { createNomadClient, type NomadClient, type NomadEventStreamItem } from '../../src/clients/nomad/index.ts';

const binary = (process.env['PATH'] ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'nomad')).find((file) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
});
if (!binary) console.warn('\n!!!!!!!!!! SKIPPED: test/integration/nomad-real.test.ts — no `nomad` binary on PATH; the Nomad client was NOT checked against a real agent !!!!!!!!!!\n');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.skipIf(!binary)('nomad client against a real nomad agent -dev', () => {
  let agent: ChildProcess | undefined;
  let dir: string;
  let nomad: NomadClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'drover-nomad-'));
    const [http, rpc, serf] = [await freePort(), await freePort(), await freePort()];
    writeFileSync(join(dir, 'agent.hcl'), `ports {\n  http = ${http}\n  rpc = ${rpc}\n  serf = ${serf}\n}\n`);
    agent = spawn(binary ?? 'nomad', ['agent', '-dev', '-bind=127.0.0.1', `-config=${join(dir, 'agent.hcl')}`, `-data-dir=${join(dir, 'data')}`], { stdio: 'ignore' });
    nomad = createNomadClient({ address: `http://127.0.0.1:${http}`, retry: { retries: 0 } });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const leader = await nomad.status.leader().catch(() => '');
      if (leader !== '') break;
      if (Date.now() > deadline) throw new Error('nomad agent -dev did not elect a leader within 60s');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }, 90_000);

  afterAll(async () => {
    nomad?.close();
    if (agent && agent.exitCode === null) {
      const exited = new Promise((resolve) => agent?.once('exit', resolve));
      agent.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (agent.exitCode === null) agent.kill('SIGKILL');
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads the leader, regions, namespaces, metrics and empty lists', async () => {
    expect(await nomad.status.leader()).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await nomad.regions()).toEqual(['global']);
    expect((await nomad.namespaces()).map((n) => n.Name)).toContain('default');
    expect((await nomad.metrics()).Gauges.length).toBeGreaterThan(0);
    const jobs = await nomad.jobs.list();
    expect(jobs.value).toEqual([]);
    expect(jobs.index).toBeGreaterThan(0);
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
