/**
 * The sandbox Consul against a real Consul 1.8.7 agent (the oracle): every step runs the same call
 * on both and compares status codes, the X-Consul-* headers that matter, and bodies — JSON field
 * names, JSON types and every value that does not legitimately differ (indexes, IDs, ports, times),
 * text error bodies after substituting each side's own session IDs and tokens. Blocking reads are
 * compared by outcome: woken vs timed out, index moved vs not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxClock } from '../../src/sandbox/clock.ts';
import { createConsulService } from '../../src/sandbox/consul/index.ts';
import { consulAvailability, startConsulAgent, warnConsulSkipped, type ConsulAgent } from '../support/consul-agent.ts';
import { call, serve, type Answer, type ServedService } from '../support/serve-sandbox-service.ts';

const availability = consulAvailability();
warnConsulSkipped('test/contract/consul-oracle.test.ts', availability);

/** Fields whose values legitimately differ between two agents: only name and JSON type are compared. */
const VOLATILE = new Set(['CreateIndex', 'ModifyIndex', 'ID', 'NodeID']);

interface Side {
  readonly name: 'real' | 'sandbox';
  readonly base: string;
  /** Side-specific strings (session IDs, tokens) → placeholder names used for comparison. */
  readonly vars: Map<string, string>;
}

type Request = { readonly body?: string; readonly token?: string };
type Step = (side: Side) => Promise<Answer>;

let real: Side;
let sandbox: Side;

/** Calls one side; `{name}` placeholders in the path are replaced by that side's variables. */
function on(side: Side, method: string, path: string, request: Request = {}): Promise<Answer> {
  const resolve = (s: string): string => s.replace(/\{(\w+)\}/g, (_, name: string) => side.vars.get(name) ?? `{${name}}`);
  const token = request.token === undefined ? undefined : resolve(`{${request.token}}`);
  return call(side.base, method, resolve(path), {
    ...(request.body !== undefined && method !== 'GET' ? { body: resolve(request.body) } : {}),
    headers: token ? { 'X-Consul-Token': token } : {},
  });
}

async function both(step: Step): Promise<[Answer, Answer]> {
  return [await step(real), await step(sandbox)];
}

/** Replaces volatile fields by their JSON type and side variables by their names. */
function normalize(side: Side, value: unknown, ignore: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => normalize(side, item, ignore));
  if (typeof value === 'string') return unvar(side, value);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, member]) => [key, VOLATILE.has(key) || ignore.has(key) ? `<${member === null ? 'null' : typeof member}>` : normalize(side, member, ignore)]),
  );
}

/** Only long values (session IDs, tokens) are substituted back; short ones (indexes) are path parameters. */
function unvar(side: Side, text: string): string {
  let out = text;
  for (const [name, value] of side.vars) if (value.length >= 16) out = out.replaceAll(value, `{${name}}`);
  return out;
}

const HEADERS = ['content-type', 'x-consul-knownleader', 'x-consul-effective-consistency'] as const;

/** Same status, same relevant headers, same normalized body. */
function expectSame([a, b]: [Answer, Answer], ignore: readonly string[] = []): void {
  const view = (side: Side, answer: Answer): unknown => ({
    status: answer.status,
    headers: Object.fromEntries(HEADERS.map((h) => [h, answer.headers.get(h)])),
    hasIndex: answer.headers.has('x-consul-index'),
    allow: answer.headers.get('allow'),
    body: answer.json !== undefined ? normalize(side, answer.json, new Set(ignore)) : unvar(side, answer.text),
  });
  expect(view(sandbox, b)).toEqual(view(real, a));
}

const indexOf = (answer: Answer): number => Number(answer.headers.get('x-consul-index'));

/**
 * `/v1/catalog/services` builds each tag list from a Go map, so a real agent's tag order varies
 * from call to call; the sandbox keeps registration order. Compare the lists as sets.
 */
function sortedTags([a, b]: [Answer, Answer]): [Answer, Answer] {
  const sort = (answer: Answer): Answer => ({
    ...answer,
    json: Object.fromEntries(Object.entries(answer.json as Record<string, string[]>).map(([name, tags]) => [name, [...tags].sort()])),
  });
  return [sort(a), sort(b)];
}

/** Polls the real agent, whose catalog sync is asynchronous, until `done` holds. */
async function eventually(step: Step, done: (answer: Answer) => boolean): Promise<void> {
  for (let i = 0; i < 50 && !done(await step(real)); i++) await new Promise((r) => setTimeout(r, 100));
}

describe.skipIf(!availability.available)('sandbox Consul matches a real Consul 1.8.7 agent', () => {
  let agent: ConsulAgent;
  let served: ServedService;

  beforeAll(async () => {
    agent = await startConsulAgent({ aclDefaultPolicy: 'allow' });
    const admin = ((await call(agent.address, 'PUT', '/v1/acl/bootstrap')).json as { SecretID: string }).SecretID;
    const rules = 'key_prefix "shop/" { policy = "read" }\nkey_prefix "shop/rw/" { policy = "write" }';
    const adminHeaders = { headers: { 'X-Consul-Token': admin } };
    await call(agent.address, 'PUT', '/v1/acl/policy', { ...adminHeaders, body: JSON.stringify({ Name: 'shop', Rules: rules }) });
    const limited = ((await call(agent.address, 'PUT', '/v1/acl/token', { ...adminHeaders, body: '{"Policies":[{"Name":"shop"}]}' })).json as { SecretID: string }).SecretID;
    const self = (await call(agent.address, 'GET', '/v1/agent/self', adminHeaders)).json as { Config: { NodeName: string } };
    served = await serve(
      createConsulService({
        clock: createSandboxClock(),
        nodeName: self.Config.NodeName,
        acl: {
          defaultPolicy: 'allow',
          tokens: [
            { secretId: 'sandbox-admin', management: true },
            { secretId: 'sandbox-limited', rules: { key_prefix: { 'shop/': 'read', 'shop/rw/': 'write' } } },
          ],
        },
      }),
    );
    real = { name: 'real', base: agent.address, vars: new Map([['admin', admin], ['limited', limited]]) };
    sandbox = { name: 'sandbox', base: served.address, vars: new Map([['admin', 'sandbox-admin'], ['limited', 'sandbox-limited']]) };
  }, 90_000);

  afterAll(async () => {
    await served?.close();
    await agent?.stop();
  });

  describe('kv', () => {
    it('writes, reads (JSON and raw), lists keys and recurses like the agent', async () => {
      expectSame(await both((s) => on(s, 'PUT', '/v1/kv/app/config/a', { body: 'hello' })));
      expectSame(await both((s) => on(s, 'PUT', '/v1/kv/app/config/empty', { body: '' })));
      expectSame(await both((s) => on(s, 'PUT', '/v1/kv/app/config/dir/x?flags=42', { body: 'x' })));
      expectSame(await both((s) => on(s, 'GET', '/v1/kv/app/config/a')));
      expectSame(await both((s) => on(s, 'GET', '/v1/kv/app/config/empty')));
      expectSame(await both((s) => on(s, 'GET', '/v1/kv/app/config/a?raw')));
      expectSame(await both((s) => on(s, 'GET', '/v1/kv/app/config/?keys')));
      expectSame(await both((s) => on(s, 'GET', '/v1/kv/app/config/?keys&separator=/')));
      expectSame(await both((s) => on(s, 'GET', '/v1/kv/app/?recurse')));
      expectSame(await both((s) => on(s, 'GET', '/v1/kv/?keys')));
    });

    it('answers 404 with an empty body and an index for missing keys and empty prefixes', async () => {
      for (const path of ['/v1/kv/app/missing', '/v1/kv/nothing/?keys', '/v1/kv/nothing/?recurse', '/v1/kv/app/missing?raw']) {
        const answers = await both((s) => on(s, 'GET', path));
        expectSame(answers);
        expect(answers[1]).toMatchObject({ status: 404, text: '' });
      }
    });

    it('decides check-and-set writes and deletes like the agent', async () => {
      expectSame(await both((s) => on(s, 'PUT', '/v1/kv/cas/k?cas=0', { body: 'v1' })));
      expectSame(await both((s) => on(s, 'PUT', '/v1/kv/cas/k?cas=0', { body: 'v2' })));
      for (const side of [real, sandbox]) side.vars.set('casIndex', String(indexOf(await on(side, 'GET', '/v1/kv/cas/k'))));
      expectSame(await both((s) => on(s, 'PUT', '/v1/kv/cas/k?cas={casIndex}', { body: 'v3' })));
      expectSame(await both((s) => on(s, 'PUT', '/v1/kv/cas/k?cas={casIndex}', { body: 'stale' })));
      expectSame(await both((s) => on(s, 'DELETE', '/v1/kv/cas/k?cas=1')));
      expectSame(await both((s) => on(s, 'DELETE', '/v1/kv/cas/k?cas=0')));
      expectSame(await both((s) => on(s, 'DELETE', '/v1/kv/cas/missing?cas=7')));
      expectSame(await both((s) => on(s, 'GET', '/v1/kv/cas/k')));
      expectSame(await both((s) => on(s, 'DELETE', '/v1/kv/cas/k')));
      expectSame(await both((s) => on(s, 'DELETE', '/v1/kv/cas/k')));
      expectSame(await both((s) => on(s, 'DELETE', '/v1/kv/app/?recurse')));
      expectSame(await both((s) => on(s, 'GET', '/v1/kv/app/?keys')));
    });

    it('rejects bad requests with the same status and text', async () => {
      const cases: [string, string][] = [
        ['PUT', '/v1/kv/'],
        ['DELETE', '/v1/kv/'],
        ['GET', '/v1/kv/'],
        ['PUT', '/v1/kv/k?cas=1&acquire=x'],
        ['PUT', '/v1/kv/k?release=x&cas=1&dc=dc1'],
        ['DELETE', '/v1/kv/k?recurse&cas=1'],
        ['PUT', '/v1/kv/k?cas=abc'],
        ['PUT', '/v1/kv/k?flags=-1'],
        ['POST', '/v1/kv/k'],
        ['GET', '/v1/kv/k?index=abc'],
        ['GET', '/v1/kv/k?index=1&wait=10'],
        ['GET', '/v1/kv/k?stale&consistent'],
        ['GET', '/v1/kv/k?dc=elsewhere'],
        ['GET', '/v1/nothing-here'],
      ];
      for (const [method, path] of cases) expectSame(await both((s) => on(s, method, path, { body: 'v' })));
    });
  });

  describe('sessions and locks', () => {
    const create = async (name: string, body: string): Promise<void> => {
      const answers = await both((s) => on(s, 'PUT', '/v1/session/create', { body }));
      expectSame(answers, ['ID']);
      real.vars.set(name, (answers[0].json as { ID: string }).ID);
      sandbox.vars.set(name, (answers[1].json as { ID: string }).ID);
    };

    it('creates, reads, lists, renews and destroys sessions like the agent', async () => {
      await create('s1', '{"Name":"deploy-lock","TTL":"15s","LockDelay":"1s"}');
      await create('s2', '{"Name":"other","LockDelay":5,"Checks":[]}');
      await create('s3', '');
      expectSame(await both((s) => on(s, 'GET', '/v1/session/info/{s1}')));
      expectSame(await both((s) => on(s, 'GET', '/v1/session/info/{s2}')));
      expectSame(await both((s) => on(s, 'PUT', '/v1/session/renew/{s1}')));
      const lists = await both((s) => on(s, 'GET', '/v1/session/list'));
      expectSame([{ ...lists[0], json: (lists[0].json as { ID: string }[]).sort((x, y) => unvar(real, x.ID).localeCompare(unvar(real, y.ID))) }, {
        ...lists[1],
        json: (lists[1].json as { ID: string }[]).sort((x, y) => unvar(sandbox, x.ID).localeCompare(unvar(sandbox, y.ID))),
      }]);
      expectSame(await both((s) => on(s, 'PUT', '/v1/session/destroy/{s3}')));
      expectSame(await both((s) => on(s, 'GET', '/v1/session/info/{s3}')));
    });

    it('rejects bad sessions and unknown or malformed IDs with the same status and text', async () => {
      const unknown = '11111111-2222-3333-4444-555555555555';
      const cases: [string, string, string?][] = [
        ['PUT', '/v1/session/create', '{"TTL":"5s"}'],
        ['PUT', '/v1/session/create', '{"TTL":"100000s"}'],
        ['PUT', '/v1/session/create', '{"TTL":"abc"}'],
        ['PUT', '/v1/session/create', '{"Behavior":"foo"}'],
        ['PUT', '/v1/session/create', '{"LockDelay":"abc"}'],
        ['PUT', '/v1/session/create', '{"Node":"no-such-node"}'],
        ['PUT', '/v1/session/create', '{'],
        ['GET', '/v1/session/create'],
        ['GET', `/v1/session/info/${unknown}`],
        ['GET', '/v1/session/info/not-a-uuid'],
        ['PUT', `/v1/session/renew/${unknown}`],
        ['PUT', '/v1/session/renew/not-a-uuid'],
        ['PUT', `/v1/session/destroy/${unknown}`],
        ['PUT', '/v1/session/destroy/not-a-uuid'],
        ['PUT', '/v1/session/destroy/'],
      ];
      for (const [method, path, body] of cases) expectSame(await both((s) => on(s, method, path, body === undefined ? {} : { body })));
    });

    it('grants, refuses and releases locks between two sessions like the agent', async () => {
      const steps: [string, string, string?][] = [
        ['PUT', '/v1/kv/locks/api?acquire={s1}', 'holder-1'],
        ['PUT', '/v1/kv/locks/api?acquire={s2}', 'holder-2'],
        ['PUT', '/v1/kv/locks/api?acquire={s1}', 'holder-1b'],
        ['GET', '/v1/kv/locks/api'],
        ['PUT', '/v1/kv/locks/api?release={s2}', 'nope'],
        ['PUT', '/v1/kv/locks/api?release={s1}', 'released'],
        ['GET', '/v1/kv/locks/api'],
        ['PUT', '/v1/kv/locks/api?acquire={s2}&flags=3', 'holder-2'],
        ['GET', '/v1/kv/locks/api'],
        ['PUT', '/v1/kv/locks/api', 'plain write over a lock'],
        ['GET', '/v1/kv/locks/api'],
        ['PUT', '/v1/kv/locks/api?acquire=11111111-2222-3333-4444-555555555555', 'x'],
        ['PUT', '/v1/kv/locks/api?acquire=not-a-uuid', 'x'],
        ['PUT', '/v1/kv/locks/api?acquire=', 'x'],
        ['PUT', '/v1/kv/locks/other?release={s1}', 'x'],
        ['PUT', '/v1/session/destroy/{s2}'],
        ['GET', '/v1/kv/locks/api'],
      ];
      for (const [method, path, body] of steps) expectSame(await both((s) => on(s, method, path, body === undefined ? {} : { body })));
    });

    it('refuses re-acquisition during the lock-delay of an invalidated holder, then allows it', async () => {
      expectSame(await both((s) => on(s, 'PUT', '/v1/kv/locks/delayed?acquire={s1}', { body: 'x' })));
      expectSame(await both((s) => on(s, 'PUT', '/v1/session/destroy/{s1}')));
      await create('s4', '{"Name":"next"}');
      expectSame(await both((s) => on(s, 'PUT', '/v1/kv/locks/delayed?acquire={s4}', { body: 'y' })));
      await new Promise((r) => setTimeout(r, 1100));
      expectSame(await both((s) => on(s, 'PUT', '/v1/kv/locks/delayed?acquire={s4}', { body: 'y' })));
      expectSame(await both((s) => on(s, 'GET', '/v1/kv/locks/delayed')));
    });

    it('deletes the locked keys of a Behavior=delete session when it is destroyed', async () => {
      await create('s5', '{"Behavior":"delete","LockDelay":"0s"}');
      expectSame(await both((s) => on(s, 'PUT', '/v1/kv/locks/ephemeral?acquire={s5}', { body: 'x' })));
      expectSame(await both((s) => on(s, 'PUT', '/v1/session/destroy/{s5}')));
      expectSame(await both((s) => on(s, 'GET', '/v1/kv/locks/ephemeral')));
    });
  });

  describe('blocking queries', () => {
    /** Blocks on both sides at once (wait=1s), running `during` on both after 200ms. */
    async function block(path: string, during?: Step): Promise<{ moved: boolean; early: boolean }[]> {
      const outcomes = [real, sandbox].map(async (side) => {
        const before = indexOf(await on(side, 'GET', path));
        const started = Date.now();
        const blocked = on(side, 'GET', `${path}${path.includes('?') ? '&' : '?'}index=${before}&wait=1s`);
        await new Promise((r) => setTimeout(r, 200));
        if (during) await during(side);
        const answer = await blocked;
        return { moved: indexOf(answer) > before, early: Date.now() - started < 800 };
      });
      return Promise.all(outcomes);
    }

    it('wakes a key read when that key is written', async () => {
      await both((s) => on(s, 'PUT', '/v1/kv/watch/a', { body: '1' }));
      const [a, b] = await block('/v1/kv/watch/a', (s) => on(s, 'PUT', '/v1/kv/watch/a', { body: '2' }));
      expect(a).toEqual({ moved: true, early: true });
      expect(b).toEqual(a);
    });

    it('times out unchanged when only another key is written', async () => {
      const [a, b] = await block('/v1/kv/watch/a', (s) => on(s, 'PUT', '/v1/kv/watch/b', { body: '1' }));
      expect(a).toEqual({ moved: false, early: false });
      expect(b).toEqual(a);
    });

    it('wakes a missing key only through its radix node, and prefix and catalog reads, like the agent', async () => {
      const cases: [path: string, during: Step | undefined, expected: { moved: boolean; early: boolean }][] = [
        // The deepest tree node on the path of watch/missing is "watch/": writes elsewhere do not wake it.
        ['/v1/kv/watch/missing', (s) => on(s, 'PUT', '/v1/kv/elsewhere', { body: '1' }), { moved: false, early: false }],
        ['/v1/kv/watch/missing', (s) => on(s, 'PUT', '/v1/kv/watch/c', { body: '1' }), { moved: true, early: true }],
        // No key starts with "q": the root is watched, and every write modifies the root.
        ['/v1/kv/qq/missing', (s) => on(s, 'PUT', '/v1/kv/elsewhere', { body: '2' }), { moved: true, early: true }],
        ['/v1/kv/watch/?recurse', (s) => on(s, 'DELETE', '/v1/kv/watch/b'), { moved: true, early: true }],
        ['/v1/kv/watch/?keys', (s) => on(s, 'PUT', '/v1/kv/other', { body: '1' }), { moved: false, early: false }],
        ['/v1/catalog/services', (s) => on(s, 'PUT', '/v1/kv/other', { body: '2' }), { moved: false, early: false }],
      ];
      for (const [path, during, expected] of cases) {
        const [a, b] = await block(path, during);
        expect({ path, ...a }).toEqual({ path, ...expected });
        expect({ path, ...b }).toEqual({ path, ...expected });
      }
    }, 20_000);
  });

  describe('catalog, health and agent', () => {
    const web = {
      ID: 'web-1',
      Name: 'web',
      Tags: ['urlprefix-/web', 'v1'],
      Address: '10.0.0.5',
      Port: 8080,
      Meta: { version: '1' },
      Checks: [
        { CheckID: 'web-1-alive', Name: 'alive', TTL: '30s', Status: 'passing' },
        { CheckID: 'web-1-ready', Name: 'ready', TTL: '30s' },
      ],
    };
    const hasInstances = (n: number) => (a: Answer) => Array.isArray(a.json) && a.json.length === n;

    it('registers an agent service and serves it from catalog and health like the agent', async () => {
      expectSame(await both((s) => on(s, 'PUT', '/v1/agent/service/register', { body: JSON.stringify(web) })));
      expectSame(await both((s) => on(s, 'PUT', '/v1/agent/service/register', { body: '{"ID":"bare-1","Name":"bare","Port":80,"Check":{"TTL":"30s","Status":"warning"}}' })));
      await eventually((s) => on(s, 'GET', '/v1/catalog/service/bare'), hasInstances(1));
      expectSame(sortedTags(await both((s) => on(s, 'GET', '/v1/catalog/services'))));
      expectSame(await both((s) => on(s, 'GET', '/v1/catalog/service/web')));
      expectSame(await both((s) => on(s, 'GET', '/v1/catalog/service/bare')));
      expectSame(await both((s) => on(s, 'GET', '/v1/catalog/service/consul')), ['ServicePort']);
      expectSame(await both((s) => on(s, 'GET', '/v1/catalog/service/unknown')));
      expectSame(await both((s) => on(s, 'GET', '/v1/health/service/web')));
      expectSame(await both((s) => on(s, 'GET', '/v1/health/service/bare')));
      expectSame(await both((s) => on(s, 'GET', '/v1/health/service/web?passing')));
      for (const state of ['any', 'passing', 'warning', 'critical', 'bogus']) expectSame(await both((s) => on(s, 'GET', `/v1/health/state/${state}`)));
    });

    it('filters on ?passing once every check passes, and forgets deregistered services', async () => {
      expectSame(await both((s) => on(s, 'PUT', '/v1/agent/check/update/web-1-ready', { body: '{"Status":"passing","Output":"ok"}' })));
      await eventually((s) => on(s, 'GET', '/v1/health/service/web?passing'), hasInstances(1));
      expectSame(await both((s) => on(s, 'GET', '/v1/health/service/web?passing')));
      expectSame(await both((s) => on(s, 'GET', '/v1/health/service/web?passing=false')));
      expectSame(await both((s) => on(s, 'PUT', '/v1/agent/service/deregister/web-1')));
      await eventually((s) => on(s, 'GET', '/v1/catalog/service/web'), hasInstances(0));
      expectSame(await both((s) => on(s, 'GET', '/v1/catalog/service/web')));
      expectSame(sortedTags(await both((s) => on(s, 'GET', '/v1/catalog/services'))));
    });

    it('rejects bad agent calls with the same status and text', async () => {
      const cases: [string, string, string?][] = [
        ['PUT', '/v1/agent/service/register', '{"Port":80}'],
        ['PUT', '/v1/agent/service/register', '{"Name":"x","Check":{"HTTP":"http://127.0.0.1:1/"}}'],
        ['PUT', '/v1/agent/service/register', '{"Name":"x","Check":{"TTL":"10s","Status":"bogus"}}'],
        ['PUT', '/v1/agent/service/register'],
        ['PUT', '/v1/agent/service/deregister/nope'],
        ['PUT', '/v1/agent/check/update/nope', '{"Status":"passing"}'],
        ['PUT', '/v1/agent/check/update/nope', '{"Status":"bogus"}'],
        ['GET', '/v1/catalog/service/'],
        ['GET', '/v1/health/state/'],
        ['PUT', '/v1/catalog/services'],
      ];
      for (const [method, path, body] of cases) expectSame(await both((s) => on(s, method, path, body === undefined ? {} : { body })));
    });

    it('answers agent/self with Config.Datacenter and the leader as a JSON string', async () => {
      const [a, b] = await both((s) => on(s, 'GET', '/v1/agent/self'));
      expect(Object.keys(b.json as object).sort()).toEqual(Object.keys(a.json as object).sort());
      expect(normalize(sandbox, (b.json as { Config: unknown }).Config, new Set(['Revision']))).toEqual(normalize(real, (a.json as { Config: unknown }).Config, new Set(['Revision'])));
      const leaders = await both((s) => on(s, 'GET', '/v1/status/leader'));
      expect(leaders.map((l) => [l.status, typeof l.json, l.headers.has('x-consul-index')])).toEqual([[200, 'string', false], [200, 'string', false]]);
    });
  });

  describe('acl', () => {
    it('answers unknown tokens and denied operations like the agent', async () => {
      const cases: [string, string, Request][] = [
        ['GET', '/v1/kv/shop/a', { token: 'unknown' }],
        ['PUT', '/v1/kv/shop/a', { token: 'unknown', body: 'x' }],
        ['GET', '/v1/catalog/services', { token: 'unknown' }],
        ['GET', '/v1/session/list', { token: 'unknown' }],
        ['PUT', '/v1/kv/shop/a', { token: 'admin', body: 'seeded' }],
        ['GET', '/v1/kv/shop/a', { token: 'limited' }],
        ['PUT', '/v1/kv/shop/a', { token: 'limited', body: 'x' }],
        ['PUT', '/v1/kv/shop/rw/a', { token: 'limited', body: 'x' }],
        ['DELETE', '/v1/kv/shop/?recurse', { token: 'limited' }],
        ['DELETE', '/v1/kv/shop/rw/?recurse', { token: 'limited' }],
        ['PUT', '/v1/kv/elsewhere', { token: 'limited', body: 'default allow' }],
      ];
      sandbox.vars.set('unknown', '00000000-0000-0000-0000-00000000dead');
      real.vars.set('unknown', '00000000-0000-0000-0000-00000000dead');
      for (const [method, path, request] of cases) expectSame(await both((s) => on(s, method, path, request)));
    });
  });
});
