/**
 * The Consul client against a real `consul agent -dev` (Consul 1.8.7 from `npm run consul:install`,
 * or whatever `consul` is on PATH), and the same suite against the sandbox's Consul, over real
 * HTTP on 127.0.0.1. ACLs are enabled with a default `allow` policy so anonymous calls work and
 * an unknown token gets a 403.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/clients/api-error.ts';
import { createConsulClient, type ConsulClient } from '../../src/clients/consul/index.ts';
import type { RetryEvent } from '../../src/clients/retry.ts';
import { createSandboxClock } from '../../src/sandbox/clock.ts';
import { createConsulService } from '../../src/sandbox/consul/index.ts';
import { consulAvailability, startConsulAgent, warnConsulSkipped } from '../support/consul-agent.ts';
import { serve } from '../support/serve-sandbox-service.ts';

const availability = consulAvailability();
warnConsulSkipped('test/integration/consul-client.test.ts', availability);

interface ConsulUnderTest {
  readonly address: string;
  stop(): Promise<void>;
}

/** The sandbox's Consul on its own listener, on wall-clock time, with ACLs on and default allow. */
async function startSandboxConsul(): Promise<ConsulUnderTest> {
  const served = await serve(createConsulService({ clock: createSandboxClock({ speed: 1 }), acl: { defaultPolicy: 'allow', tokens: [] } }));
  return { address: served.address, stop: () => served.close() };
}

const targets: [string, boolean, () => Promise<ConsulUnderTest>][] = [
  ['a real consul agent', availability.available, () => startConsulAgent({ aclDefaultPolicy: 'allow' })],
  ['the sandbox consul', true, startSandboxConsul],
];

describe.each(targets)('consul client against %s', (_name, available, start) => {
  if (!available) return void it.skip('needs a consul binary (see the warning above)', () => undefined);
  let agent: ConsulUnderTest;
  let consul: ConsulClient;
  /** A key no other test touches. */
  const ownKey = (name: string): string => `drover-test/${randomUUID()}/${name}`;

  beforeAll(async () => {
    agent = await start();
    consul = createConsulClient({ address: agent.address });
  }, 90_000);

  afterAll(async () => {
    consul?.close();
    await agent?.stop();
  });

  describe('kv', () => {
    it('round-trips a unicode value through set, get, list, keys and delete', async () => {
      const key = ownKey('greeting');
      const value = 'héllo wörld ✓ — 日本語 🚀';
      expect(await consul.kv.set(key, value)).toBe(true);

      const read = await consul.kv.get(key);
      expect(read.value).toBe(value);
      expect(read.index).toBeGreaterThan(0);
      expect(read.modifyIndex).toBe(read.index);
      expect(read.session).toBeUndefined();

      const prefix = key.slice(0, key.lastIndexOf('/') + 1);
      const listed = await consul.kv.list(prefix);
      expect(listed.value).toEqual([
        { key, value, flags: 0, createIndex: read.modifyIndex, modifyIndex: read.modifyIndex, lockIndex: 0, session: undefined },
      ]);
      expect((await consul.kv.keys(prefix)).value).toEqual([key]);

      expect(await consul.kv.delete(key)).toBe(true);
      expect((await consul.kv.get(key)).value).toBeNull();
    });

    it('answers null with an index for a missing key (Consul: 404, empty body)', async () => {
      const read = await consul.kv.get(ownKey('missing'));
      expect(read).toMatchObject({ value: null, modifyIndex: 0, session: undefined });
      expect(read.index).toBeGreaterThan(0);
    });

    it('reads an empty value as "" (Consul sends Value: null) and lists nothing as []', async () => {
      const key = ownKey('empty');
      await consul.kv.set(key, '');
      expect((await consul.kv.get(key)).value).toBe('');
      expect((await consul.kv.list(ownKey('none'))).value).toEqual([]);
      expect((await consul.kv.keys(ownKey('none'))).value).toEqual([]);
    });

    it('stops keys at the separator', async () => {
      const root = ownKey('tree');
      await consul.kv.set(`${root}/a/x`, '1');
      await consul.kv.set(`${root}/a/y`, '2');
      await consul.kv.set(`${root}/b`, '3');
      expect((await consul.kv.keys(`${root}/`, { separator: '/' })).value).toEqual([`${root}/a/`, `${root}/b`]);
      expect(await consul.kv.delete(`${root}/`, { recurse: true })).toBe(true);
      expect((await consul.kv.list(`${root}/`)).value).toEqual([]);
    });

    it('writes with cas only when the key is unchanged and answers false otherwise', async () => {
      const key = ownKey('cas');
      expect(await consul.kv.set(key, 'first', { cas: 0 })).toBe(true);
      expect(await consul.kv.set(key, 'again', { cas: 0 })).toBe(false);

      const before = await consul.kv.get(key);
      expect(await consul.kv.set(key, 'second', { cas: before.modifyIndex })).toBe(true);
      expect(await consul.kv.set(key, 'stale', { cas: before.modifyIndex })).toBe(false);
      expect(await consul.kv.delete(key, { cas: before.modifyIndex })).toBe(false);

      const after = await consul.kv.get(key);
      expect(after.value).toBe('second');
      expect(after.modifyIndex).toBeGreaterThan(before.modifyIndex);
      expect(await consul.kv.delete(key, { cas: after.modifyIndex })).toBe(true);
    });

    it('returns from a blocking get only when the key changes, and keeps the index otherwise', async () => {
      const key = ownKey('watched');
      await consul.kv.set(key, 'v1');
      const first = await consul.kv.get(key);

      const idle = await consul.kv.get(key, { index: first.index, wait: '300ms' });
      expect(idle).toMatchObject({ value: 'v1', index: first.index });

      let settled = false;
      const started = Date.now();
      const blocked = consul.kv.get(key, { index: first.index, wait: '20s' }).finally(() => (settled = true));
      await sleep(200);
      await consul.kv.set(ownKey('unrelated'), 'noise');
      await sleep(200);
      expect(settled).toBe(false);

      await consul.kv.set(key, 'v2');
      const changed = await blocked;
      expect(changed.value).toBe('v2');
      expect(changed.index).toBeGreaterThan(first.index);
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    });

    it('rejects a blocking get with the signal reason when aborted', async () => {
      const key = ownKey('aborted');
      await consul.kv.set(key, 'v1');
      const { index } = await consul.kv.get(key);
      const controller = new AbortController();
      const started = Date.now();
      const pending = consul.kv.get(key, { index, wait: '30s', signal: controller.signal });
      setTimeout(() => controller.abort(new Error('stop watching')), 100);
      await expect(pending).rejects.toThrow('stop watching');
      expect(Date.now() - started).toBeLessThan(5000);
    });
  });

  describe('sessions and locks', () => {
    it('creates, describes, renews and destroys a TTL session', async () => {
      const id = await consul.sessions.create({ name: 'drover-test', ttl: '10s', behavior: 'delete', lockDelay: '1s', checks: [] });
      const info = await consul.sessions.info(id);
      expect(info.value).toMatchObject({ ID: id, Name: 'drover-test', TTL: '10s', Behavior: 'delete', LockDelay: 1_000_000_000 });
      expect(info.index).toBeGreaterThan(0);

      const renewed = await consul.sessions.renew(id);
      expect(renewed).toMatchObject({ ID: id, TTL: '10s' });

      await consul.sessions.destroy(id);
      expect((await consul.sessions.info(id)).value).toBeNull();
      await expect(consul.sessions.renew(id)).rejects.toMatchObject({ name: 'ApiError', service: 'consul', status: 404 });
    });

    it('lets one session hold a lock, refuses another with false, and releases it', async () => {
      const key = ownKey('lock');
      const a = await consul.sessions.create({ name: 'holder-a', ttl: '30s', lockDelay: '0s' });
      const b = await consul.sessions.create({ name: 'holder-b', ttl: '30s', lockDelay: '0s' });
      try {
        expect(await consul.locks.acquire(key, a, 'held by a')).toBe(true);
        expect(await consul.locks.acquire(key, b, 'held by b')).toBe(false);
        expect(await consul.kv.get(key)).toMatchObject({ value: 'held by a', session: a });

        expect(await consul.locks.release(key, b, 'not mine')).toBe(false);
        expect(await consul.locks.release(key, a, 'released by a')).toBe(true);
        expect(await consul.kv.get(key)).toMatchObject({ value: 'released by a', session: undefined });

        expect(await consul.locks.acquire(key, b, 'held by b')).toBe(true);
        expect((await consul.kv.list(key)).value[0]).toMatchObject({ session: b, lockIndex: 2 });
      } finally {
        await consul.sessions.destroy(a);
        await consul.sessions.destroy(b);
      }
    });
  });

  describe('catalog and health', () => {
    it('lists a service registered through the agent, with and without failing instances', async () => {
      const name = `drover-test-${randomUUID().slice(0, 8)}`;
      await registerService(agent.address, { ID: `${name}-1`, Name: name, Port: 8001, Tags: ['v1'], Check: { TTL: '60s', Status: 'passing' } });
      await registerService(agent.address, { ID: `${name}-2`, Name: name, Port: 8002, Tags: ['v1'], Check: { TTL: '60s', Status: 'critical' } });
      try {
        const instances = await untilLength(consul, name, 2);
        expect(instances.map((s) => [s.ServiceID, s.ServicePort, s.ServiceTags]).sort()).toEqual([
          [`${name}-1`, 8001, ['v1']],
          [`${name}-2`, 8002, ['v1']],
        ]);
        expect((await consul.catalog.services()).value[name]).toEqual(['v1']);

        const all = await consul.health.service(name);
        expect(all.value).toHaveLength(2);
        expect(all.value.flatMap((e) => e.Checks.map((c) => c.CheckID))).toContain('serfHealth');

        const passing = await consul.health.service(name, { passingOnly: true });
        expect(passing.value.map((e) => e.Service.ID)).toEqual([`${name}-1`]);
        expect(passing.value[0]?.Service).toMatchObject({ Service: name, Port: 8001, Tags: ['v1'] });
      } finally {
        await deregisterService(agent.address, `${name}-1`);
        await deregisterService(agent.address, `${name}-2`);
      }
    });

    it('answers [] for an unknown service', async () => {
      const answer = await consul.catalog.service(`drover-missing-${randomUUID()}`);
      expect(answer.value).toEqual([]);
      expect(answer.index).toBeGreaterThan(0);
    });
  });

  describe('errors', () => {
    const SENTINEL = `sentinel-token-${randomUUID()}`;

    it('maps a 400 onto ApiError with status, request and body', async () => {
      const key = ownKey('conflict');
      const error = await consul.kv.set(key, 'v', { cas: 0, acquire: randomUUID() }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ service: 'consul', method: 'PUT', path: `/v1/kv/${key}`, status: 400, code: undefined });
      expect((error as ApiError).body).toMatch(/^Conflicting flags: /);
    });

    it('maps a 403 onto ApiError and never leaks the token', async () => {
      const client = createConsulClient({ address: agent.address, token: SENTINEL });
      try {
        for (const call of [() => client.kv.get(ownKey('x')), () => client.kv.set(ownKey('x'), 'v'), () => client.sessions.create({ name: 'x' })]) {
          const error = await call().catch((e: unknown) => e);
          expect(error).toMatchObject({ name: 'ApiError', service: 'consul', status: 403, body: 'ACL not found' });
          expect(error).toBeInstanceOf(ApiError);
          expectNoSecret(error, SENTINEL);
        }
      } finally {
        client.close();
      }
    });

    it('maps connection refused onto ApiError with a code, retrying reads but never writes', async () => {
      const events: RetryEvent[] = [];
      const address = `http://127.0.0.1:${await closedPort()}`;
      const client = createConsulClient({ address, token: SENTINEL, retry: { retries: 2, baseDelayMs: 10 }, onRetry: (e) => events.push(e) });
      try {
        const readError = await client.kv.get('drover-test/refused').catch((e: unknown) => e);
        expect(readError).toMatchObject({ status: undefined, code: 'ECONNREFUSED', isNetworkError: true, method: 'GET' });
        expect(events.map((e) => [e.attempt, e.delayMs])).toEqual([[2, 10], [3, 20]]);

        const writeError = await client.kv.set('drover-test/refused', 'v').catch((e: unknown) => e);
        expect(writeError).toMatchObject({ status: undefined, code: 'ECONNREFUSED', method: 'PUT' });
        expect(events).toHaveLength(2);
        expectNoSecret(readError, SENTINEL);
        expectNoSecret(writeError, SENTINEL);
        expectNoSecret(events, SENTINEL);
      } finally {
        client.close();
      }
    });

    it('retries a read that Consul answers with 500 and sends a failing write once', async () => {
      const events: RetryEvent[] = [];
      const client = createConsulClient({ address: agent.address, retry: { retries: 1, baseDelayMs: 10 }, onRetry: (e) => events.push(e) });
      try {
        // Consul 1.8.7 answers 500 (not 400) for a malformed session ID...
        await expect(client.sessions.info('not-a-uuid')).rejects.toMatchObject({ status: 500, body: expect.stringMatching(/UUID must be 36 characters/) });
        expect(events).toHaveLength(1);
        // ...and for acquiring with a session that does not exist.
        await expect(client.locks.acquire(ownKey('lock'), randomUUID(), 'v')).rejects.toMatchObject({ status: 500, body: expect.stringMatching(/^invalid session/) });
        expect(events).toHaveLength(1);
      } finally {
        client.close();
      }
    });

    it('refuses an empty key before sending it, as a drover bug rather than a Consul failure', async () => {
      const error = await consul.kv.set('/', 'v').catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'ApiError', status: undefined, code: 'EINVALID', exitCode: 70 });
    });

    it('times out a request that gets no answer', async () => {
      const sockets: Socket[] = [];
      const silent = createServer((socket) => void sockets.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const { port } = silent.address() as { port: number };
      const client = createConsulClient({ address: `http://127.0.0.1:${port}`, token: SENTINEL, timeoutMs: 200, retry: { retries: 0 } });
      try {
        const error = await client.catalog.services().catch((e: unknown) => e);
        expect(error).toMatchObject({ name: 'ApiError', status: undefined, code: 'ETIMEDOUT' });
        expectNoSecret(error, SENTINEL);
      } finally {
        client.close();
        sockets.forEach((socket) => socket.destroy());
        await new Promise((resolve) => silent.close(resolve));
      }
    });
  });
});

/** The secret must not be reachable from anything a reporter might print. */
function expectNoSecret(value: unknown, secret: string): void {
  const views = [JSON.stringify(value), inspect(value, { depth: Infinity, showHidden: true })];
  if (value instanceof Error) views.push(value.message, value.stack ?? '', String(value.cause), inspect(value.cause, { depth: Infinity }));
  for (const view of views) expect(view).not.toContain(secret);
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Blocks on the catalog until the agent's anti-entropy sync has pushed `count` instances. */
async function untilLength(consul: ConsulClient, name: string, count: number) {
  let answer = await consul.catalog.service(name);
  const deadline = Date.now() + 10_000;
  while (answer.value.length < count && Date.now() < deadline) {
    answer = await consul.catalog.service(name, { index: answer.index, wait: '2s' });
  }
  return answer.value;
}

async function registerService(address: string, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${address}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify(body) });
  expect(response.status, await response.text()).toBe(200);
}

async function deregisterService(address: string, id: string): Promise<void> {
  await fetch(`${address}/v1/agent/service/deregister/${id}`, { method: 'PUT' });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
