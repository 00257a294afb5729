/**
 * Sandbox Consul answers checked against the official examples in
 * ../shared/reference/examples/consul/ (Consul 1.22 docs): same field names, same JSON types.
 * Every difference is listed below with the reason; the sandbox follows what a real 1.8.7 agent
 * sends (test/contract/consul-oracle.test.ts), so most entries are places where the docs sample
 * and real agents disagree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxClock } from '../../src/sandbox/clock.ts';
import { createConsulService, type ConsulSandbox } from '../../src/sandbox/consul/index.ts';
import { collectShape, type JsonType } from '../support/json-shape.ts';
import { hasReference, readReferenceJson } from '../support/reference.ts';
import { call, serve, type ServedService } from '../support/serve-sandbox-service.ts';

/** User-keyed maps: only their own type is compared. */
const OPAQUE = new Set(['NodeMeta', 'Meta', 'ServiceMeta']);

/** Fields the docs samples show that the sandbox (like a 1.8.7 OSS agent) does not send. */
const DOCUMENTED_NOT_SENT: Readonly<Record<string, string>> = {
  '[].Namespace': 'Enterprise only; OSS agents omit it',
  '[].Service.Namespace': 'Enterprise only',
  '[].Checks[].Namespace': 'Enterprise only',
  '[].ServiceTaggedAddresses.lan': 'docs show lan/wan; agents send lan_ipv4/wan_ipv4 (see oracle test)',
  '[].ServiceTaggedAddresses.lan.address': 'docs use lower-case keys; agents send Address/Port',
  '[].ServiceTaggedAddresses.lan.port': 'same',
  '[].ServiceTaggedAddresses.wan': 'same',
  '[].ServiceTaggedAddresses.wan.address': 'same',
  '[].ServiceTaggedAddresses.wan.port': 'same',
  '[].Service.TaggedAddresses.lan': 'same, in health answers',
  '[].Service.TaggedAddresses.lan.address': 'same',
  '[].Service.TaggedAddresses.lan.port': 'same',
  '[].Service.TaggedAddresses.wan': 'same',
  '[].Service.TaggedAddresses.wan.address': 'same',
  '[].Service.TaggedAddresses.wan.port': 'same',
  '[].ServiceProxy.DestinationServiceName': 'a non-proxy service has ServiceProxy {MeshGateway:{}, Expose:{}} on 1.8.7',
  '[].ServiceProxy.DestinationServiceID': 'same',
  '[].ServiceProxy.LocalServiceAddress': 'same',
  '[].ServiceProxy.LocalServicePort': 'same',
  '[].ServiceProxy.Config': 'same',
  '[].ServiceProxy.Upstreams': 'same',
  '[].ServiceConnect.Native': 'a non-Connect service has ServiceConnect {} on 1.8.7',
  '[].ServiceConnect.Proxy': 'same',
};

/** Fields the sandbox sends (because a real 1.8.7 agent does, per the oracle test) that no sample shows. */
const SENT_NOT_DOCUMENTED: Readonly<Record<string, string>> = {
  '[].ServiceKind': 'always sent ("" for typical services)',
  '[].ServiceWeights': 'always sent',
  '[].ServiceWeights.Passing': 'always sent',
  '[].ServiceWeights.Warning': 'always sent',
  '[].ServiceProxy.MeshGateway': 'non-proxy services on 1.8.7',
  '[].ServiceProxy.Expose': 'non-proxy services on 1.8.7',
  '[].ServiceTaggedAddresses.lan_ipv4': 'agents derive it from the service address',
  '[].ServiceTaggedAddresses.lan_ipv4.Address': 'same',
  '[].ServiceTaggedAddresses.lan_ipv4.Port': 'same',
  '[].ServiceTaggedAddresses.wan_ipv4': 'same',
  '[].ServiceTaggedAddresses.wan_ipv4.Address': 'same',
  '[].ServiceTaggedAddresses.wan_ipv4.Port': 'same',
  '[].TaggedAddresses.lan_ipv4': 'node tagged addresses on 1.8.7',
  '[].TaggedAddresses.wan_ipv4': 'same',
  '[].Node.TaggedAddresses.lan_ipv4': 'same, in health answers',
  '[].Node.TaggedAddresses.wan_ipv4': 'same',
  '[].Node.CreateIndex': 'health answers carry raft indexes on every object',
  '[].Node.ModifyIndex': 'same',
  '[].Service.CreateIndex': 'same',
  '[].Service.ModifyIndex': 'same',
  '[].Service.EnableTagOverride': 'always sent',
  '[].Service.Proxy': 'always sent',
  '[].Service.Proxy.MeshGateway': 'same',
  '[].Service.Proxy.Expose': 'same',
  '[].Service.Connect': 'always sent',
  '[].Service.TaggedAddresses.lan_ipv4': 'agents derive it from the service address',
  '[].Service.TaggedAddresses.lan_ipv4.Address': 'same',
  '[].Service.TaggedAddresses.lan_ipv4.Port': 'same',
  '[].Service.TaggedAddresses.wan_ipv4': 'same',
  '[].Service.TaggedAddresses.wan_ipv4.Address': 'same',
  '[].Service.TaggedAddresses.wan_ipv4.Port': 'same',
  '[].Checks[].Type': 'health checks carry Type, Definition and indexes (docs show ten fields)',
  '[].Checks[].Definition': 'same',
  '[].Checks[].CreateIndex': 'same',
  '[].Checks[].ModifyIndex': 'same',
  '[].Type': 'same, in /v1/health/state',
  '[].Definition': 'same',
  '[].CreateIndex': 'same',
  '[].ModifyIndex': 'same',
};

type Shape = Map<string, Set<JsonType>>;

function shapeOf(value: unknown, opaqueRoot = false): Shape {
  // /v1/catalog/services is keyed by service names: compare the value types only.
  if (opaqueRoot && value && typeof value === 'object') return collectShape(Object.values(value), OPAQUE);
  const shape = collectShape(value, OPAQUE);
  shape.set('', new Set([value === null ? 'null' : Array.isArray(value) ? 'array' : (typeof value as JsonType)]));
  return shape;
}

const used = new Set<string>();

/** Differences not covered by the allowlists, as readable lines (empty = same contract). */
function differences(example: Shape, actual: Shape, file: string): string[] {
  const out: string[] = [];
  for (const [path, types] of example) {
    const got = actual.get(path);
    if (!got) {
      if (path in DOCUMENTED_NOT_SENT) used.add(path);
      else out.push(`${file}: ${path} documented but not sent`);
      continue;
    }
    if (![...got].some((t) => types.has(t))) out.push(`${file}: ${path} is ${[...got].join('|')}, documented ${[...types].join('|')}`);
  }
  for (const path of actual.keys()) {
    if (example.has(path)) continue;
    if (path in SENT_NOT_DOCUMENTED) used.add(path);
    else out.push(`${file}: ${path} sent but not documented`);
  }
  return out;
}

describe.skipIf(!hasReference())('sandbox Consul answers match the documented examples', () => {
  let consul: ConsulSandbox;
  let served: ServedService;
  const answers = new Map<string, unknown>();

  beforeAll(async () => {
    consul = createConsulService({ clock: createSandboxClock({ speed: 0 }) });
    served = await serve(consul);
    const json = async (method: string, path: string, body?: string): Promise<unknown> =>
      (await call(served.address, method, path, body === undefined ? {} : { body })).json;
    consul.registerService({
      id: 'redis',
      name: 'redis',
      tags: ['primary'],
      address: '10.1.10.12',
      port: 8000,
      meta: { redis_version: '4.0' },
      checks: [{ id: 'service:redis', name: "Service 'redis' check", status: 'passing' }],
      node: { name: 'foobar', address: '10.1.10.12' },
    });
    consul.registerService({
      id: 'checks-abc',
      name: 'session-checks',
      checks: ['a', 'b', 'c'].map((id) => ({ id, name: id, status: 'passing' as const })),
      node: 'foobar',
    });
    const request = readReferenceJson('examples/consul/put_v1_session_create.request.json');
    const created = (await json('PUT', '/v1/session/create', JSON.stringify(request))) as { ID: string };
    answers.set('put_v1_session_create.response.json', created);
    await json('PUT', `/v1/kv/zip?acquire=${created.ID}`, 'test');
    for (const key of ['web/bar', 'web/foo', 'web/subdir/x']) await json('PUT', `/v1/kv/${key}`, 'v');
    answers.set('put_v1_kv_key.response.json', await json('PUT', '/v1/kv/put-example', 'v'));
    answers.set('get_v1_kv_key.response.json', await json('GET', '/v1/kv/zip'));
    answers.set('get_v1_kv_prefix_keys_separator.response.json', await json('GET', '/v1/kv/web/?keys&separator=/'));
    answers.set('get_v1_session_info_uuid.response.json', await json('GET', `/v1/session/info/${created.ID}`));
    answers.set('put_v1_session_renew_uuid.response.json', await json('PUT', `/v1/session/renew/${created.ID}`));
    answers.set('get_v1_catalog_services.response.json', await json('GET', '/v1/catalog/services'));
    answers.set('get_v1_catalog_service_name.response.json', await json('GET', '/v1/catalog/service/redis'));
    answers.set('get_v1_health_service_name.response.json', await json('GET', '/v1/health/service/redis'));
    answers.set('get_v1_health_state_state.response.json', await json('GET', '/v1/health/state/passing'));
    answers.set('put_v1_session_destroy_uuid.response.json', await json('PUT', `/v1/session/destroy/${created.ID}`));
    answers.set('delete_v1_kv_key.response.json', await json('DELETE', '/v1/kv/put-example'));
  });

  afterAll(() => served?.close());

  it('sends every documented field with the documented JSON type, except the listed differences', () => {
    const found = [...answers].flatMap(([file, answer]) => {
      const example = readReferenceJson(`examples/consul/${file}`);
      const opaqueRoot = file === 'get_v1_catalog_services.response.json';
      return differences(shapeOf(example, opaqueRoot), shapeOf(answer, opaqueRoot), file);
    });
    expect(found).toEqual([]);
    // Keeps the allowlists honest: an entry no answer needs any more must go.
    const stale = [...Object.keys(DOCUMENTED_NOT_SENT), ...Object.keys(SENT_NOT_DOCUMENTED)].filter((path) => !used.has(path));
    expect(stale).toEqual([]);
  });

  it('accepts the documented session-create request (node "foobar", checks a, b, c)', () => {
    expect(answers.get('put_v1_session_create.response.json')).toEqual({ ID: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('returns the documented literals and key listing', () => {
    expect(answers.get('put_v1_kv_key.response.json')).toBe(true);
    expect(answers.get('delete_v1_kv_key.response.json')).toBe(true);
    expect(answers.get('put_v1_session_destroy_uuid.response.json')).toBe(true);
    // The docs list keys of a "/web" prefix; without the leading slash the same tree answers:
    expect(answers.get('get_v1_kv_prefix_keys_separator.response.json')).toEqual(['web/bar', 'web/foo', 'web/subdir/']);
  });
});
