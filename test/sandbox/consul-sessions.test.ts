/**
 * Session TTLs, behaviors and lock-delay over HTTP, on a manual sandbox clock: time only moves when
 * the test advances it, so expiry is asserted to the millisecond.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandboxClock, type ControlledClock } from '../../src/sandbox/clock.ts';
import { createConsulService } from '../../src/sandbox/consul/index.ts';
import { call, serve, type Answer, type ServedService } from '../support/serve-sandbox-service.ts';

let clock: ControlledClock;
let consul: ServedService;

beforeEach(async () => {
  clock = createSandboxClock({ speed: 0 });
  consul = await serve(createConsulService({ clock }));
});

afterEach(async () => {
  await consul.close();
  clock.close();
});

const put = (path: string, body = ''): Promise<Answer> => call(consul.address, 'PUT', path, { body });
const get = (path: string): Promise<Answer> => call(consul.address, 'GET', path);

async function session(body: object): Promise<string> {
  const created = await put('/v1/session/create', JSON.stringify(body));
  expect(created.status).toBe(200);
  return (created.json as { ID: string }).ID;
}

async function pair(key: string): Promise<Record<string, unknown> | undefined> {
  const answer = await get(`/v1/kv/${key}`);
  return answer.status === 404 ? undefined : (answer.json as Record<string, unknown>[])[0];
}

describe('session TTL', () => {
  it('invalidates a session exactly at its TTL and releases its lock', async () => {
    const id = await session({ Name: 'deploy', TTL: '10s', LockDelay: '0s' });
    expect((await put(`/v1/kv/locks/api?acquire=${id}`, 'me')).json).toBe(true);

    await clock.advance(9_999);
    expect((await get(`/v1/session/info/${id}`)).json).toHaveLength(1);
    expect(await pair('locks/api')).toMatchObject({ Session: id, LockIndex: 1 });

    await clock.advance(1);
    expect((await get(`/v1/session/info/${id}`)).json).toEqual([]);
    const released = await pair('locks/api');
    expect(released).toMatchObject({ LockIndex: 1, Value: Buffer.from('me').toString('base64') });
    expect(released).not.toHaveProperty('Session');
    expect((await put(`/v1/session/renew/${id}`)).status).toBe(404);
  });

  it('restarts the TTL on renew', async () => {
    const id = await session({ TTL: '10s' });
    await clock.advance(8_000);
    const renewed = await put(`/v1/session/renew/${id}`);
    expect(renewed.json).toEqual([expect.objectContaining({ ID: id, TTL: '10s', LockDelay: 15e9 })]);
    await clock.advance(8_000);
    expect((await get(`/v1/session/info/${id}`)).json).toHaveLength(1);
    await clock.advance(2_000);
    expect((await get(`/v1/session/info/${id}`)).json).toEqual([]);
  });

  it('deletes the locked keys of a Behavior=delete session when its TTL runs out', async () => {
    const id = await session({ TTL: '15s', Behavior: 'delete' });
    await put(`/v1/kv/ephemeral/leader?acquire=${id}`, 'me');
    await put('/v1/kv/ephemeral/other', 'stays');
    await clock.advance(15_000);
    expect(await pair('ephemeral/leader')).toBeUndefined();
    expect(await pair('ephemeral/other')).toBeDefined();
  });

  it('keeps sessions without a TTL (or with "0s") forever', async () => {
    const forever = await session({});
    const zero = await session({ TTL: '0s' });
    await clock.advance(48 * 3_600_000);
    expect((await get('/v1/session/list')).json).toEqual(
      expect.arrayContaining([expect.objectContaining({ ID: forever, TTL: '' }), expect.objectContaining({ ID: zero, TTL: '0s' })]),
    );
  });

  it('rejects TTLs outside 10s–24h with the agent’s 500 text', async () => {
    expect(await put('/v1/session/create', '{"TTL":"9s"}')).toMatchObject({ status: 500, text: "Invalid Session TTL '9000000000', must be between [10s=24h0m0s]" });
    expect((await put('/v1/session/create', '{"TTL":"24h0m1s"}')).status).toBe(500);
    expect((await put('/v1/session/create', '{"TTL":"24h"}')).status).toBe(200);
  });

  it('wakes a blocked read of the lock when the holder expires', async () => {
    const id = await session({ TTL: '10s', LockDelay: '0s' });
    await put(`/v1/kv/locks/watch?acquire=${id}`, 'me');
    const index = (await get('/v1/kv/locks/watch')).headers.get('x-consul-index');
    const blocked = get(`/v1/kv/locks/watch?index=${index}&wait=1m`);
    await clock.advance(10_000);
    const answer = await blocked;
    expect(Number(answer.headers.get('x-consul-index'))).toBeGreaterThan(Number(index));
    expect((answer.json as Record<string, unknown>[])[0]).not.toHaveProperty('Session');
  });
});

describe('lock-delay', () => {
  it('refuses every session the keys of an invalidated holder until its lock-delay has passed', async () => {
    const holder = await session({ TTL: '10s', LockDelay: '5s' });
    const next = await session({});
    await put(`/v1/kv/locks/api?acquire=${holder}`, 'holder');
    await clock.advance(10_000);

    expect((await put(`/v1/kv/locks/api?acquire=${next}`, 'next')).json).toBe(false);
    await clock.advance(4_999);
    expect((await put(`/v1/kv/locks/api?acquire=${next}`, 'next')).json).toBe(false);
    await clock.advance(1);
    expect((await put(`/v1/kv/locks/api?acquire=${next}`, 'next')).json).toBe(true);
    expect(await pair('locks/api')).toMatchObject({ Session: next, LockIndex: 2 });
  });

  it('applies on destroy too, but not after a voluntary release', async () => {
    const a = await session({ LockDelay: '5s' });
    const b = await session({});
    await put(`/v1/kv/locks/released?acquire=${a}`, 'a');
    await put(`/v1/kv/locks/released?release=${a}`, '');
    expect((await put(`/v1/kv/locks/released?acquire=${b}`, 'b')).json).toBe(true);

    await put(`/v1/kv/locks/destroyed?acquire=${a}`, 'a');
    await put(`/v1/session/destroy/${a}`);
    expect((await put(`/v1/kv/locks/destroyed?acquire=${b}`, 'b')).json).toBe(false);
  });

  it('accepts LockDelay as seconds below 1000 and nanoseconds above, answering nanoseconds', async () => {
    const seconds = await session({ LockDelay: 7 });
    const nanos = await session({ LockDelay: 2_000_000_000 });
    const info = async (id: string): Promise<unknown> => ((await get(`/v1/session/info/${id}`)).json as { LockDelay: number }[])[0]?.LockDelay;
    expect(await info(seconds)).toBe(7e9);
    expect(await info(nanos)).toBe(2e9);
  });
});

describe('locks', () => {
  it('lets only the holder release, keeps LockIndex, and writes the release body as the value', async () => {
    const a = await session({});
    const b = await session({});
    await put(`/v1/kv/l?acquire=${a}`, 'a');
    expect((await put(`/v1/kv/l?release=${b}`, 'b')).json).toBe(false);
    expect((await put(`/v1/kv/l?release=${a}`, 'bye')).json).toBe(true);
    const released = await pair('l');
    expect(released).toMatchObject({ LockIndex: 1, Value: Buffer.from('bye').toString('base64') });
    expect(released).not.toHaveProperty('Session');
  });

  it('answers 500 for unknown and malformed sessions on acquire', async () => {
    expect(await put('/v1/kv/l?acquire=11111111-2222-3333-4444-555555555555', 'x')).toMatchObject({
      status: 500,
      text: 'invalid session "11111111-2222-3333-4444-555555555555"',
    });
    expect(await put('/v1/kv/l?acquire=nope', 'x')).toMatchObject({ status: 500, text: 'failed session lookup: index error: UUID must be 36 characters' });
  });
});
