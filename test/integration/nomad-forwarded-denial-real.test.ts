/**
 * A refusal a real Nomad server forwards for a client node: a server-only agent and a separate
 * client agent (so the server has no local client and must forward `/v1/client/...`), ACLs on, a
 * token with `read-job` but not `read-logs`. Through the server, the log and file streams answer
 * 500 `Permission denied`; drover's transport must see the 403 the client agent sends. Skipped,
 * loudly, without a nomad binary on PATH.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNomadClient } from '../../src/clients/nomad/index.ts';
import { createNomadTransport } from '../../src/clients/nomad/transport.ts';
import { freePorts } from '../support/consul-agent.ts';
import { getJson, sendJson } from '../support/real-cluster.ts';
import { findOnPath, missingBinaries, spawnReal, waitFor, type RealProcess } from '../support/real-process.ts';

const missing = missingBinaries('test/integration/nomad-forwarded-denial-real.test.ts', ['nomad']);

function agentConfig(ports: readonly number[], role: string): string {
  return `bind_addr = "127.0.0.1"
advertise {
  http = "127.0.0.1"
  rpc  = "127.0.0.1"
  serf = "127.0.0.1"
}
ports {
  http = ${ports[0]}
  rpc  = ${ports[1]}
  serf = ${ports[2]}
}
acl {
  enabled = true
}
${role}
`;
}

const SLEEPER = {
  ID: 'sleeper', Name: 'sleeper', Type: 'service', Datacenters: ['dc1'],
  TaskGroups: [{
    Name: 'sleeper', Count: 1,
    Tasks: [{ Name: 'sleeper', Driver: 'raw_exec', Config: { command: '/bin/sh', args: ['-c', 'echo hello; sleep 600'] }, KillTimeout: 1e9, Resources: { CPU: 50, MemoryMB: 32 } }],
  }],
};

describe.skipIf(missing.length > 0)('a Nomad server forwarding a client request for a token without the capability', { timeout: 120_000 }, () => {
  const processes: RealProcess[] = [];
  let server = '';
  let client = '';
  let management = '';
  let readJobOnly = '';
  let allocId = '';
  let clientAllocDir = '';

  beforeAll(async () => {
    const ports = await freePorts(6);
    const binary = findOnPath('nomad')!;
    const start = (name: string, hcl: string) => {
      const dir = mkdtempSync(join(tmpdir(), `drover-real-nomad-${name}-`));
      writeFileSync(join(dir, 'agent.hcl'), hcl);
      const agent = spawnReal(`nomad ${name}`, binary, ['agent', `-config=${join(dir, 'agent.hcl')}`, `-data-dir=${join(dir, 'data')}`, `-node=drover-${name}`], { dir });
      processes.push(agent);
      return { agent, dataDir: join(dir, 'data') };
    };
    const { agent: serverProcess } = start('server', agentConfig(ports.slice(0, 3), 'server {\n  enabled = true\n  bootstrap_expect = 1\n}'));
    server = `http://127.0.0.1:${ports[0]}`;
    client = `http://127.0.0.1:${ports[3]}`;
    clientAllocDir = join(start('client', agentConfig(ports.slice(3), `client {
  enabled = true
  servers = ["127.0.0.1:${ports[1]}"]
  options {
    "fingerprint.denylist" = "env_aws,env_gce,env_azure,env_digitalocean"
    "driver.allowlist"     = "raw_exec"
  }
}
plugin "raw_exec" {
  config {
    enabled = true
  }
}`)).dataDir, 'alloc');
    management = await waitFor('ACL bootstrap', async () => {
      const answer = await sendJson('POST', `${server}/v1/acl/bootstrap`).catch(() => undefined);
      return answer?.status === 200 ? (JSON.parse(answer.text) as { SecretID: string }).SecretID : undefined;
    }, { timeoutMs: 60_000, process: serverProcess });
    const as = { 'X-Nomad-Token': management };
    await waitFor('the client node ready with raw_exec', async () => {
      const nodes = (await getJson(`${server}/v1/nodes`, as).catch(() => [])) as { Status: string; Drivers?: Record<string, { Healthy: boolean }> }[];
      return nodes.some((n) => n.Status === 'ready' && n.Drivers?.['raw_exec']?.Healthy) ? true : undefined;
    }, { timeoutMs: 60_000, process: processes[1]! });
    expect((await sendJson('POST', `${server}/v1/acl/policy/read-job-only`, { Name: 'read-job-only', Rules: 'namespace "default" { capabilities = ["read-job"] }' }, as)).status).toBe(200);
    readJobOnly = (JSON.parse((await sendJson('POST', `${server}/v1/acl/token`, { Name: 'read-job-only', Type: 'client', Policies: ['read-job-only'] }, as)).text) as { SecretID: string }).SecretID;
    expect((await sendJson('POST', `${server}/v1/jobs`, { Job: SLEEPER }, as)).status).toBe(200);
    allocId = await waitFor('a running sleeper', async () => {
      const allocs = (await getJson(`${server}/v1/job/sleeper/allocations`, as)) as { ID: string; ClientStatus: string; TaskStates?: Record<string, { StartedAt: string | null }> }[];
      return allocs.find((a) => a.ClientStatus === 'running' && a.TaskStates?.['sleeper']?.StartedAt)?.ID;
    }, { timeoutMs: 60_000, process: processes[1]! });
  }, 100_000);

  afterAll(async () => {
    // A client agent that is not -dev leaves its tasks running and their secrets/ and private/
    // tmpfs mounted when it stops; stopping the job and collecting the allocation removes both.
    if (management && clientAllocDir) {
      const as = { 'X-Nomad-Token': management };
      await sendJson('DELETE', `${server}/v1/job/sleeper?purge=true`, undefined, as).catch(() => undefined);
      await waitFor('the sleeper allocation collected', async () => {
        await sendJson('PUT', `${client}/v1/client/gc`, undefined, as);
        return !existsSync(clientAllocDir) || readdirSync(clientAllocDir).length === 0 ? true : undefined;
      }, { timeoutMs: 30_000 }).catch((error: Error) => console.warn(`nomad-forwarded-denial-real: ${error.message}`));
    }
    const stopped = await Promise.allSettled(processes.reverse().map((agent) => agent.stop()));
    for (const result of stopped) if (result.status === 'rejected') console.warn(`nomad-forwarded-denial-real: ${String(result.reason)}`);
  }, 60_000);

  it('answers 500 "Permission denied" through the server and 403 through the client agent (the quirk drover maps)', async () => {
    const headers = { 'X-Nomad-Token': readJobOnly };
    for (const path of [`/v1/client/fs/logs/${allocId}?task=sleeper&type=stdout`, `/v1/client/fs/stream/${allocId}?path=alloc/logs/sleeper.stdout.0`]) {
      const viaServer = await fetch(`${server}${path}`, { headers });
      expect([path, viaServer.status, await viaServer.text()]).toEqual([path, 500, 'Permission denied']);
      const viaClient = await fetch(`${client}${path}`, { headers });
      expect([path, viaClient.status, await viaClient.text()]).toEqual([path, 403, 'Permission denied']);
    }
  });

  it('drover sees a 403 refusal (exit 77) for logs and for another forwarded stream; the management token reads', async () => {
    const nomad = createNomadClient({ address: server, token: readJobOnly, retry: { retries: 0 } });
    const transport = createNomadTransport({ address: server, token: readJobOnly, timeoutMs: 10_000, retry: { retries: 0 } });
    try {
      const logs = await nomad.allocations.logs(allocId, { task: 'sleeper', type: 'stdout' }).catch((e: unknown) => e);
      expect(logs).toMatchObject({ status: 403, exitCode: 77, body: 'Permission denied' });
      const stream = await transport.stream({ method: 'GET', path: `/v1/client/fs/stream/${allocId}`, query: { path: 'alloc/logs/sleeper.stdout.0' } }).catch((e: unknown) => e);
      expect(stream).toMatchObject({ status: 403, exitCode: 77, body: 'Permission denied' });
      expect(JSON.stringify([logs, stream])).not.toContain(readJobOnly);
    } finally {
      nomad.close();
      transport.close();
    }
    const allowed = createNomadClient({ address: server, token: management });
    try {
      for await (const frame of await allowed.allocations.logs(allocId, { task: 'sleeper', type: 'stdout' })) {
        if (frame.kind !== 'data') continue;
        expect(frame.data.toString()).toBe('hello\n');
        break;
      }
    } finally {
      allowed.close();
    }
  });
});
