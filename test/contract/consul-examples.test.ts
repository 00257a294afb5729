/**
 * The sandbox's Consul replays the calls scripts/record-fixtures.ts made against a real Consul
 * 1.8.7 dev agent (test/fixtures/recorded/consul/, see its README): the same service registered
 * through the agent, the same catalog and health reads, KV writes and reads, and a session's life
 * with a lock acquired and released on it. Each answer must have the recorded status code and
 * content type, and the recorded field names with their JSON types; differences are listed below
 * with the reason. test/contract/consul-oracle.test.ts compares with a live agent when one is there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxClock } from '../../src/sandbox/clock.ts';
import { createConsulService } from '../../src/sandbox/consul/index.ts';
import { collectShape, type JsonType } from '../support/json-shape.ts';
import { recorded, recordedNames } from '../support/recorded.ts';
import { call, serve, type ServedService } from '../support/serve-sandbox-service.ts';

/** User-keyed maps: only their own type is compared. */
const OPAQUE = new Set(['NodeMeta', 'Meta', 'ServiceMeta']);

/** The recorded calls in the order the recorder made them (a session's ID is carried along). */
const ORDER = [
  'get_v1_status_leader', 'get_v1_catalog_services', 'get_v1_catalog_service_name', 'get_v1_health_service_name',
  'get_v1_health_service_name.passing', 'get_v1_health_state_state', 'get_v1_catalog_service_name.unknown', 'put_v1_kv_key',
  'put_v1_kv_key.cas_refused', 'get_v1_kv_key', 'get_v1_kv_key.not_found', 'get_v1_kv_prefix_keys', 'get_v1_kv_prefix_keys_separator',
  'get_v1_kv_prefix_recurse', 'put_v1_session_create', 'get_v1_session_info_uuid', 'put_v1_session_renew_uuid', 'put_v1_kv_key_acquire',
  'get_v1_kv_key.locked', 'put_v1_kv_key_release', 'put_v1_session_destroy_uuid', 'get_v1_session_info_uuid.destroyed', 'delete_v1_kv_key',
];

/** Fields the real agent sent that the sandbox leaves out, with why. */
const NOT_SENT: Readonly<Record<string, string>> = {};

/** Fields the sandbox sends that the real agent did not, with why. */
const NOT_RECORDED: Readonly<Record<string, string>> = {};

type Shape = Map<string, Set<JsonType>>;

function shapeOf(value: unknown, name: string): Shape {
  // /v1/catalog/services is keyed by service names: compare the value types only.
  if (name === 'get_v1_catalog_services' && value && typeof value === 'object') return collectShape(Object.values(value), OPAQUE);
  const shape = collectShape(value, OPAQUE);
  shape.set('', new Set([value === null ? 'null' : Array.isArray(value) ? 'array' : (typeof value as JsonType)]));
  return shape;
}

const used = new Set<string>();

/** Differences not covered by the allowlists, as readable lines (empty = same contract). */
function differences(real: Shape, actual: Shape, name: string): string[] {
  const out: string[] = [];
  for (const [path, types] of real) {
    const got = actual.get(path);
    if (!got) {
      if (path in NOT_SENT) used.add(path);
      else out.push(`${name}: ${path} sent by Consul, not by the sandbox`);
      continue;
    }
    if (![...got].some((t) => types.has(t))) out.push(`${name}: ${path} is ${[...got].join('|')}, Consul sent ${[...types].join('|')}`);
  }
  for (const path of actual.keys()) {
    if (real.has(path)) continue;
    if (path in NOT_RECORDED) used.add(path);
    else out.push(`${name}: ${path} sent by the sandbox, not by Consul`);
  }
  return out;
}

interface Replayed {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: unknown;
}

describe('sandbox Consul answers match the answers recorded from Consul 1.8.7', () => {
  let served: ServedService;
  const answers = new Map<string, Replayed>();

  beforeAll(async () => {
    served = await serve(createConsulService({ clock: createSandboxClock({ speed: 0 }) }));
    const register = recorded('consul', 'get_v1_catalog_service_name');
    const service = register.body[0];
    const registration = {
      ID: service.ServiceID, Name: service.ServiceName, Tags: service.ServiceTags, Address: service.ServiceAddress, Port: service.ServicePort, Meta: service.ServiceMeta,
      Check: { CheckID: 'service:redis', Name: "Service 'redis' check", TTL: '10m', Status: 'passing' },
    };
    expect((await call(served.address, 'PUT', '/v1/agent/service/register', { body: JSON.stringify(registration) })).status).toBe(200);
    // The recorder wrote the keys the prefix reads list without recording those writes.
    for (const key of recorded('consul', 'get_v1_kv_prefix_keys').body as string[]) await call(served.address, 'PUT', `/v1/kv/${key}`, { body: 'v' });
    const realSession = recorded('consul', 'put_v1_session_create').body.ID as string;
    let session = realSession;
    for (const name of ORDER) {
      const { request } = recorded('consul', name);
      const body = request.body === undefined ? {} : { body: typeof request.body === 'string' ? request.body : JSON.stringify(request.body) };
      const answer = await call(served.address, request.method, request.path.replaceAll(realSession, session), body);
      answers.set(name, { status: answer.status, contentType: answer.headers.get('content-type'), body: answer.json ?? (answer.text === '' ? null : answer.text) });
      if (name === 'put_v1_session_create') session = (answer.json as { ID: string }).ID;
    }
  });

  afterAll(() => served?.close());

  it('replays every recorded call', () => {
    expect([...answers.keys()].sort()).toEqual(recordedNames('consul'));
  });

  it.each(ORDER)('answers %s with the recorded status and content type', (name) => {
    const real = recorded('consul', name);
    const actual = answers.get(name)!;
    expect({ status: actual.status, contentType: actual.contentType }).toEqual({ status: real.status, contentType: real.contentType });
  });

  it('sends every recorded field with its JSON type, except the listed differences', () => {
    const found = ORDER.flatMap((name) => differences(shapeOf(recorded('consul', name).body, name), shapeOf(answers.get(name)!.body, name), name));
    expect(found).toEqual([]);
    // Keeps the allowlists honest: an entry no answer needs any more must go.
    expect([...Object.keys(NOT_SENT), ...Object.keys(NOT_RECORDED)].filter((path) => !used.has(path))).toEqual([]);
  });

  it('returns the recorded literals, key listings and lock outcomes', () => {
    for (const name of ['put_v1_kv_key', 'put_v1_kv_key.cas_refused', 'put_v1_kv_key_acquire', 'put_v1_kv_key_release', 'put_v1_session_destroy_uuid', 'delete_v1_kv_key', 'get_v1_kv_prefix_keys', 'get_v1_kv_prefix_keys_separator', 'get_v1_session_info_uuid.destroyed', 'get_v1_catalog_service_name.unknown']) {
      expect({ name, body: answers.get(name)!.body }).toEqual({ name, body: recorded('consul', name).body });
    }
  });

  it('reports a field the sandbox would miss (the comparison can fail)', () => {
    const real = shapeOf(recorded('consul', 'get_v1_kv_key').body, 'x');
    const missing = shapeOf([{ Key: 'k', Flags: '0' }], 'x');
    expect(differences(real, missing, 'x')).toContain('x: [].Flags is string, Consul sent number');
    expect(differences(real, missing, 'x')).toContain('x: [].Value sent by Consul, not by the sandbox');
  });
});
