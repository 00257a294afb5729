/**
 * The Nomad client over real HTTP on 127.0.0.1 against small purpose-built servers that answer
 * exactly as Nomad does (text/plain errors, 500 for check-index: test/fixtures/recorded/nomad/post_v1_job_id.conflict.json,
 * X-Nomad-Index on every read): error mapping, retries, timeouts, resets, blocking reads, request
 * shapes, and that the token never leaks.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, ConflictError } from '../../src/clients/api-error.ts';
import { createNomadClient, NomadCheckIndexConflict, type NomadClient, type NomadClientOptions } from '../../src/clients/nomad/index.ts';
import type { RetryEvent } from '../../src/clients/retry.ts';
import type { NomadJob } from '../../src/wire/nomad-job.ts';
import { SENTINELS } from '../support/sentinels.ts';

const TOKEN = SENTINELS.NOMAD_TOKEN;
const JOB: NomadJob = {
  ID: 'api', Name: 'api', Type: 'service',
  TaskGroups: [{ Name: 'web', Count: 1, Tasks: [{ Name: 'web', Driver: 'docker', Config: { image: 'api:1' }, Resources: { CPU: 100, MemoryMB: 64 } }] }],
};

interface Seen { readonly method: string; readonly url: URL; readonly headers: IncomingHttpHeaders; readonly body: string }
type Handler = (seen: Seen, res: ServerResponse, req: IncomingMessage) => void;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A node:http server on a random 127.0.0.1 port that records every request. */
async function fakeNomad(handle: Handler): Promise<{ address: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: new URL(req.url ?? '/', 'http://x'), headers: req.headers, body: Buffer.concat(chunks).toString() };
      seen.push(entry);
      handle(entry, res, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return { address: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

/** Nomad's error format: the message as text/plain, X-Nomad-Index even on 404. */
function text(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Nomad-Index': '7', ...headers });
  res.end(body);
}

function json(res: ServerResponse, body: string, index = 42): void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'X-Nomad-Index': String(index) });
  res.end(body);
}

function client(address: string, extra: Partial<NomadClientOptions> = {}): NomadClient {
  const nomad = createNomadClient({ address, token: TOKEN, namespace: 'qa', region: 'eu', retry: { retries: 2, baseDelayMs: 1 }, timeoutMs: 2000, ...extra });
  cleanups.push(() => nomad.close());
  return nomad;
}

/** The sentinel token must not be in the error nor in anything handed to onRetry. */
function expectNoToken(error: unknown, retries: readonly RetryEvent[] = []): void {
  const e = error as Error;
  for (const text of [e.message, JSON.stringify(e), String(e.stack), inspect(e, { depth: 20, showHidden: true }), JSON.stringify(retries), inspect(retries, { depth: 20 })]) {
    expect(text).not.toContain(TOKEN);
  }
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('nomad client against purpose-built servers', () => {
  it('sends X-Nomad-Token and ?namespace=&region= on every call, reads, writes and deletes alike', async () => {
    const server = await fakeNomad((s, res) => (s.method === 'GET' ? json(res, '{"ID":"api","Type":"service","Status":"running"}') : json(res, '{"EvalID":"e"}')));
    const nomad = client(server.address);
    await nomad.jobs.read('api');
    await nomad.jobs.register(JOB);
    await nomad.jobs.deregister('api', { purge: true });
    expect(server.seen.map((s) => [s.method, s.url.pathname, s.url.searchParams.get('namespace'), s.url.searchParams.get('region'), s.headers['x-nomad-token']])).toEqual([
      ['GET', '/v1/job/api', 'qa', 'eu', TOKEN],
      ['POST', '/v1/jobs', 'qa', 'eu', TOKEN],
      ['DELETE', '/v1/job/api', 'qa', 'eu', TOKEN],
    ]);
    expect(server.seen[2]?.url.searchParams.get('purge')).toBe('true');
  });

  it.each([
    [400, 'Invalid wait time'],
    [403, 'Permission denied'],
    [404, 'job not found'],
  ])('maps a text/plain %i to ApiError without retrying it', async (status, body) => {
    const server = await fakeNomad((_s, res) => text(res, status, body));
    const retries: RetryEvent[] = [];
    const error = await failure(client(server.address, { onRetry: (e) => retries.push(e) }).jobs.read('api'));
    expect(error).toMatchObject({ service: 'nomad', method: 'GET', status, body, path: '/v1/job/api?namespace=qa&region=eu' });
    expect(error).not.toBeInstanceOf(ConflictError);
    expect(server.seen).toHaveLength(1);
    expect(retries).toEqual([]);
    expectNoToken(error);
  });

  it('retries a read answered 500 (e.g. No cluster leader), reports each retry, then fails with the last answer', async () => {
    const server = await fakeNomad((_s, res) => text(res, 500, 'No cluster leader'));
    const retries: RetryEvent[] = [];
    const error = await failure(client(server.address, { onRetry: (e) => retries.push(e) }).jobs.read('api'));
    expect(error).toMatchObject({ status: 500, body: 'No cluster leader' });
    expect(server.seen).toHaveLength(3);
    expect(retries.map((r) => [r.service, r.method, r.attempt, r.error.status])).toEqual([['nomad', 'GET', 2, 500], ['nomad', 'GET', 3, 500]]);
    expectNoToken(error, retries);
  });

  it('turns the check-index 500 into a NomadCheckIndexConflict with both indexes, sent once', async () => {
    const server = await fakeNomad((_s, res) => text(res, 500, 'Enforcing job modify index 12: job exists with conflicting job modify index: 15'));
    const error = await failure(client(server.address).jobs.register(JOB, { enforceIndex: 12 }));
    expect(error).toBeInstanceOf(NomadCheckIndexConflict);
    expect(error).toMatchObject({ status: 500, expected: 12, actual: 15, reason: 'modified', exitCode: 4 });
    expect(JSON.parse(server.seen[0]?.body ?? '{}')).toMatchObject({ EnforceIndex: true, JobModifyIndex: 12, Job: { ID: 'api' } });
    expect(server.seen).toHaveLength(1);
    expectNoToken(error);
  });

  it('sends enforceIndex 0 as "must not exist" and reports that the job exists', async () => {
    const server = await fakeNomad((_s, res) => text(res, 500, 'Enforcing job modify index 0: job already exists'));
    const error = await failure(client(server.address).jobs.register(JOB, { enforceIndex: 0 }));
    expect(error).toMatchObject({ reason: 'exists', expected: 0 });
    expect(JSON.parse(server.seen[0]?.body ?? '{}')).toMatchObject({ EnforceIndex: true, JobModifyIndex: 0 });
  });

  it('keeps a validation 500 on register a plain ApiError, and never retries a write', async () => {
    const server = await fakeNomad((_s, res) => text(res, 500, '1 error occurred:\n\t* Task group web validation failed: Missing tasks for task group\n\n'));
    const retries: RetryEvent[] = [];
    const error = await failure(client(server.address, { onRetry: (e) => retries.push(e) }).jobs.register(JOB));
    expect(error).not.toBeInstanceOf(ConflictError);
    expect(error.status).toBe(500);
    expect(error.body).toContain('Missing tasks for task group');
    expect(server.seen).toHaveLength(1);
    expect(retries).toEqual([]);
  });

  it('removes the token from a body that echoes it', async () => {
    const server = await fakeNomad((s, res) => text(res, 403, `ACL token not found: ${String(s.headers['x-nomad-token'])}`));
    const error = await failure(client(server.address).jobs.read('api'));
    expect(error.body).toBe('ACL token not found: [redacted]');
    expectNoToken(error);
  });

  it('times out a silent server: a read is retried (ETIMEDOUT), a write is sent exactly once', async () => {
    const server = await fakeNomad(() => undefined);
    const retries: RetryEvent[] = [];
    const nomad = client(server.address, { timeoutMs: 100, onRetry: (e) => retries.push(e) });
    const read = await failure(nomad.jobs.read('api'));
    expect(read).toMatchObject({ status: undefined, code: 'ETIMEDOUT', isNetworkError: true, exitCode: 69 });
    expect(server.seen).toHaveLength(3);
    const write = await failure(nomad.deployments.promote('d1', { all: true }));
    expect(write.code).toBe('ETIMEDOUT');
    expect(server.seen).toHaveLength(4);
    expect(retries.map((r) => r.error.code)).toEqual(['ETIMEDOUT', 'ETIMEDOUT']);
    expectNoToken(read, retries);
    expectNoToken(write);
  });

  it('maps a reset connection to ECONNRESET and a closed port to ECONNREFUSED', async () => {
    const server = await fakeNomad((_s, _res, req) => req.socket.destroy());
    const reset = await failure(client(server.address, { retry: { retries: 0 } }).jobs.read('api'));
    expect(reset).toMatchObject({ status: undefined, code: 'ECONNRESET' });
    expectNoToken(reset);
    const closed = await fakeNomad(() => undefined);
    const address = closed.address;
    await cleanups.pop()?.();
    const refused = await failure(client(address, { retry: { retries: 0 } }).status.leader());
    expect(refused).toMatchObject({ status: undefined, code: 'ECONNREFUSED' });
    expectNoToken(refused);
  });

  it('does not follow redirects, so the token never travels to another host', async () => {
    const elsewhere = await fakeNomad((_s, res) => json(res, '"x"'));
    const server = await fakeNomad((_s, res) => (res.writeHead(307, { Location: `${elsewhere.address}/v1/status/leader` }), res.end()));
    const error = await failure(client(server.address).status.leader());
    expect(error.status).toBe(307);
    expect(elsewhere.seen).toEqual([]);
  });

  it('reports a 200 that is not JSON (a proxy page) as an ApiError with a hint', async () => {
    const server = await fakeNomad((_s, res) => (res.writeHead(200, { 'Content-Type': 'text/html' }), res.end('<html>login</html>')));
    const error = await failure(client(server.address).jobs.read('api'));
    expect(error).toMatchObject({ status: 200, body: '<html>login</html>' });
    expect(error.hint).toContain('NOMAD_ADDR');
  });
});

describe('blocking reads', () => {
  it('sends index and wait, extends the timeout by the wait, and answers { value, index } from X-Nomad-Index', async () => {
    const server = await fakeNomad((_s, res) => setTimeout(() => json(res, '{"ID":"api","Type":"service","Status":"running","JobModifyIndex":43}', 43), 300));
    const { value, index } = await client(server.address, { timeoutMs: 100 }).jobs.read('api', { index: 42, wait: '1s' });
    expect(value.JobModifyIndex).toBe(43);
    expect(index).toBe(43);
    expect(Object.fromEntries(server.seen[0]?.url.searchParams ?? [])).toMatchObject({ index: '42', wait: '1s' });
  });

  it("clamps wait to Nomad's real 5m cap and sends no index/wait for index 0", async () => {
    const server = await fakeNomad((_s, res) => json(res, '[]'));
    const nomad = client(server.address);
    await nomad.jobs.allocations('api', { index: 9, wait: '10m' });
    await nomad.jobs.allocations('api', { index: 0, wait: '10m' });
    expect(server.seen[0]?.url.searchParams.get('wait')).toBe('5m');
    expect(server.seen[1]?.url.searchParams.has('index')).toBe(false);
    expect(server.seen[1]?.url.searchParams.has('wait')).toBe(false);
  });

  it('rejects with the caller\'s reason as soon as the signal aborts', async () => {
    const server = await fakeNomad(() => undefined);
    const controller = new AbortController();
    const pending = client(server.address).deployments.read('d1', { index: 5, wait: '5m', signal: controller.signal });
    setTimeout(() => controller.abort(new Error('watch cancelled')), 50);
    const started = Date.now();
    await expect(pending).rejects.toThrow('watch cancelled');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('keeps unix-nano timestamps exact through HTTP', async () => {
    const server = await fakeNomad((_s, res) => json(res, '{"ID":"api","Type":"service","Status":"running","SubmitTime":1717171717123456789,"Version":3}'));
    const { value } = await client(server.address).jobs.read('api');
    expect(value.SubmitTime).toBe('1717171717123456789');
    expect(value.Version).toBe(3);
  });
});

describe('request and answer shapes', () => {
  it('sends the bodies the reference documents', async () => {
    const server = await fakeNomad((s, res) => {
      if (s.url.pathname.endsWith('/stable')) return json(res, '{"Index":77}');
      if (s.url.pathname.includes('/deployment/')) return json(res, '{"EvalID":"e","DeploymentModifyIndex":5,"RevertedJobVersion":null,"Index":5}');
      json(res, '{"EvalID":"e","JobModifyIndex":3,"Warnings":"","Index":3,"Annotations":null,"Diff":null}');
    });
    const nomad = client(server.address);
    await nomad.jobs.register(JOB, { preserveCounts: true, submission: { source: '{}', format: 'json' } });
    await nomad.jobs.plan(JOB, { diff: true });
    await nomad.jobs.revert('api', 2, { enforcePriorVersion: 3 });
    expect(await nomad.jobs.setStable('api', 2, true)).toEqual({ index: 77 });
    await nomad.jobs.scale('api', 'web', 4, 'more traffic');
    await nomad.deployments.promote('d1', { all: true });
    await nomad.deployments.promote('d1', { groups: ['web'] });
    await nomad.deployments.fail('d1');
    await nomad.deployments.setAllocHealth('d1', { healthy: ['a1'] });
    const bodies = server.seen.map((s) => [s.method, s.url.pathname, s.body === '' ? undefined : JSON.parse(s.body)]);
    expect(bodies).toEqual([
      ['POST', '/v1/jobs', { Job: JOB, PreserveCounts: true, Submission: { Source: '{}', Format: 'json' } }],
      ['POST', '/v1/job/api/plan', { Job: JOB, Diff: true }],
      ['POST', '/v1/job/api/revert', { JobID: 'api', JobVersion: 2, EnforcePriorVersion: 3 }],
      ['POST', '/v1/job/api/stable', { JobID: 'api', JobVersion: 2, Stable: true }],
      ['POST', '/v1/job/api/scale', { Count: 4, Target: { Group: 'web' }, Message: 'more traffic' }],
      ['POST', '/v1/deployment/promote/d1', { DeploymentID: 'd1', All: true }],
      ['POST', '/v1/deployment/promote/d1', { DeploymentID: 'd1', Groups: ['web'] }],
      ['POST', '/v1/deployment/fail/d1', undefined],
      ['POST', '/v1/deployment/allocation-health/d1', { DeploymentID: 'd1', HealthyAllocationIDs: ['a1'], UnhealthyAllocationIDs: [] }],
    ]);
  });

  it('answers null for a job without deployment and sorts deployments newest first', async () => {
    const server = await fakeNomad((s, res) =>
      s.url.pathname.endsWith('/deployment')
        ? json(res, 'null')
        : json(res, '[{"ID":"old","Status":"successful","CreateIndex":10},{"ID":"new","Status":"running","CreateIndex":30},{"ID":"mid","Status":"failed","CreateIndex":20}]'),
    );
    const nomad = client(server.address);
    expect(await nomad.jobs.latestDeployment('api')).toEqual({ value: null, index: 42 });
    expect((await nomad.jobs.deployments('api')).value.map((d) => d.ID)).toEqual(['new', 'mid', 'old']);
  });

  it('escapes job IDs in paths', async () => {
    const server = await fakeNomad((_s, res) => json(res, '{"JobID":"a b/c","Summary":null,"Children":{}}'));
    await client(server.address).jobs.summary('a b/c');
    expect(server.seen[0]?.url.pathname).toBe('/v1/job/a%20b%2Fc/summary');
  });

  it('reports a body that does not match the documented shape with the request it answered', async () => {
    const server = await fakeNomad((_s, res) => json(res, '{"ID":"d1","Status":"exploded"}'));
    const error = await failure(client(server.address).deployments.read('d1'));
    expect(error).toMatchObject({ status: 200, path: '/v1/deployment/d1?namespace=qa&region=eu' });
    expect(error.body).toContain('response.Status');
  });
});
