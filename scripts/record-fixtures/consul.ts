/**
 * The Consul calls drover makes (catalog, health, KV, sessions and the lock built on them), against
 * a real `consul agent -dev`. The service the sandbox contract test seeds is registered through
 * the agent first, with a TTL check set to passing, so catalog and health answers have content.
 */
import type { Recorder } from './recorder.ts';

const SERVICE = {
  ID: 'redis',
  Name: 'redis',
  Tags: ['primary'],
  Address: '10.1.10.12',
  Port: 8000,
  Meta: { redis_version: '4.0' },
  Check: { CheckID: 'service:redis', Name: "Service 'redis' check", TTL: '10m', Status: 'passing' },
};

/** Records the whole Consul set. */
export async function recordConsul(consul: Recorder): Promise<void> {
  await consul.record('get_v1_status_leader', 'GET', '/v1/status/leader');
  await consul.call('PUT', '/v1/agent/service/register', SERVICE);
  await consul.record('get_v1_catalog_services', 'GET', '/v1/catalog/services');
  await consul.record('get_v1_catalog_service_name', 'GET', '/v1/catalog/service/redis');
  await consul.record('get_v1_health_service_name', 'GET', '/v1/health/service/redis');
  await consul.record('get_v1_health_service_name.passing', 'GET', '/v1/health/service/redis?passing');
  await consul.record('get_v1_health_state_state', 'GET', '/v1/health/state/passing');
  await consul.record('get_v1_catalog_service_name.unknown', 'GET', '/v1/catalog/service/no-such-service');

  await consul.record('put_v1_kv_key', 'PUT', '/v1/kv/recorded/app/config', 'greeting=hello');
  await consul.record('put_v1_kv_key.cas_refused', 'PUT', '/v1/kv/recorded/app/config?cas=0', 'other');
  for (const key of ['recorded/web/bar', 'recorded/web/foo', 'recorded/web/subdir/x']) await consul.call('PUT', `/v1/kv/${key}`, 'v');
  await consul.record('get_v1_kv_key', 'GET', '/v1/kv/recorded/app/config');
  await consul.record('get_v1_kv_key.not_found', 'GET', '/v1/kv/recorded/no-such-key');
  await consul.record('get_v1_kv_prefix_keys', 'GET', '/v1/kv/recorded/web/?keys');
  await consul.record('get_v1_kv_prefix_keys_separator', 'GET', '/v1/kv/recorded/web/?keys&separator=/');
  await consul.record('get_v1_kv_prefix_recurse', 'GET', '/v1/kv/recorded/web/?recurse');

  const session = (await consul.record('put_v1_session_create', 'PUT', '/v1/session/create', { Name: 'drover-lock', TTL: '30s', Behavior: 'release', LockDelay: '15s' })).body as { ID: string };
  await consul.record('get_v1_session_info_uuid', 'GET', `/v1/session/info/${session.ID}`);
  await consul.record('put_v1_session_renew_uuid', 'PUT', `/v1/session/renew/${session.ID}`);
  await consul.record('put_v1_kv_key_acquire', 'PUT', `/v1/kv/recorded/lock?acquire=${session.ID}`, '{"holder":"recorder"}');
  await consul.record('get_v1_kv_key.locked', 'GET', '/v1/kv/recorded/lock');
  await consul.record('put_v1_kv_key_release', 'PUT', `/v1/kv/recorded/lock?release=${session.ID}`, '{"holder":"recorder"}');
  await consul.record('put_v1_session_destroy_uuid', 'PUT', `/v1/session/destroy/${session.ID}`);
  await consul.record('get_v1_session_info_uuid.destroyed', 'GET', `/v1/session/info/${session.ID}`);

  await consul.record('delete_v1_kv_key', 'DELETE', '/v1/kv/recorded/app/config');
  await consul.call('DELETE', '/v1/kv/recorded?recurse');
  await consul.call('PUT', '/v1/agent/service/deregister/redis');
}
