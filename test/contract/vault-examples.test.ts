/**
 * The sandbox's Vault replays the calls scripts/record-fixtures.ts made against a real dev server
 * answering the Vault API (test/fixtures/recorded/vault/, see its README for the server and
 * version): policies, KV v2 writes, reads, metadata, subkeys and config, a JWT auth mount with
 * Nomad's config and role, a token created and looked up, and the error answers between. Each
 * answer must have the recorded status code and content type, and the recorded field names with
 * their JSON types, both ways; differences are listed below with the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxClock } from '../../src/sandbox/clock.ts';
import { createVaultService } from '../../src/sandbox/vault/index.ts';
import { collectShape, type JsonType } from '../support/json-shape.ts';
import { recorded, recordedNames } from '../support/recorded.ts';
import { call, serve, type Answer, type ServedService } from '../support/serve-sandbox-service.ts';

const ROOT = 'root-token';

/** User-keyed maps: only their own type is compared. */
const OPAQUE = new Set(['custom_metadata', 'meta', 'metadata', 'claim_mappings', 'bound_claims', 'versions', 'options']);

type Step = readonly [name: string, as?: 'child' | 'bad'] | { readonly setup: readonly [method: string, path: string, body?: unknown] };

/** The recorder's calls in its order; `setup` steps are calls it made without recording them. */
const STEPS: readonly Step[] = [
  ['get_sys_health'], ['get_sys_seal_status'], ['put_sys_policies_acl_name'], ['get_sys_policies_acl_name'], ['get_sys_policies_acl_name.not_found'],
  ['list_sys_policies_acl'], ['get_sys_policy'], ['get_sys_policy_name'], ['post_mount_data_path'],
  { setup: ['POST', 'secret/data/recorded/app', { options: { cas: 1 }, data: { greeting: 'hello again', nested: { word: 'world' } } }] },
  ['post_mount_data_path.cas_mismatch'], ['post_mount_metadata_path'], ['get_mount_data_path'], ['get_mount_data_path.version'],
  ['get_mount_data_path.not_found'], ['get_mount_metadata_path'], ['list_mount_metadata_path'], ['get_mount_subkeys_path'], ['get_mount_config'],
  { setup: ['POST', 'sys/auth/jwt-nomad', { type: 'jwt' }] },
  ['post_auth_jwt_config'], ['get_auth_jwt_config'], ['post_auth_jwt_role_name'], ['get_auth_jwt_role_name'], ['post_auth_jwt_role_name.oidc_default'],
  ['get_sys_auth_path'], ['post_auth_token_create'], ['get_auth_token_lookup_self', 'child'], ['get_mount_data_path.permitted', 'child'],
  ['get_mount_metadata_path.permission_denied', 'child'], ['get_auth_token_lookup_self.root'], ['get_auth_token_lookup_self.bad_token', 'bad'],
];

/**
 * The recorded server is OpenBao 2.0.0 (the Vault API server on this machine); the sandbox follows
 * HashiCorp Vault, which drover targets. The two answer the same calls with the same core fields
 * and differ in fields one of them added after OpenBao forked; drover reads none of these.
 */
const OPENBAO_POLICY_CAS = ['version', 'modified', 'cas_required', 'allow_wildcards_in_identity_templates', 'allow_slashes_in_identity_templates'];

/** Fields the recorded server sent that the sandbox leaves out, per call (all OpenBao additions). */
const NOT_SENT: Readonly<Record<string, readonly string[]>> = {
  // OpenBao's check-and-set on ACL policies, read back with every policy.
  get_sys_policies_acl_name: OPENBAO_POLICY_CAS.map((f) => `data.${f}`),
  get_sys_policy_name: [...OPENBAO_POLICY_CAS, ...OPENBAO_POLICY_CAS.map((f) => `data.${f}`)],
  // OpenBao's check-and-set on KV metadata.
  get_mount_metadata_path: ['data.current_metadata_version', 'data.metadata_cas_required'],
  get_mount_config: ['data.metadata_cas_required'],
  // OpenBao's JWT plugin: role and config options HashiCorp's plugin does not have.
  get_auth_jwt_role_name: ['data.callback_mode', 'data.oidc_disable_confirmation', 'data.token_policies_template_claims', 'data.token_strictly_bind_ip'],
  get_auth_jwt_config: ['data.override_allowed_server_names', 'data.status'],
  // OpenBao reports its commit date where Vault reports a build date.
  get_sys_seal_status: ['commit_date'],
};

/** Fields the sandbox sends (as HashiCorp Vault does) that OpenBao 2.0.0 did not, per call. */
const NOT_RECORDED: Readonly<Record<string, readonly string[]>> = {
  get_sys_health: ['performance_standby', 'enterprise', 'echo_duration_ms', 'clock_skew_ms', 'replication_primary_canary_age_ms'],
  get_sys_seal_status: ['build_date', 'removed_from_cluster'],
  get_auth_jwt_config: ['data.jwks_pairs', 'data.unsupported_critical_cert_extensions'],
};

/** Vault's response envelope names the mount that answered; OpenBao 2.0.0's has no mount_type. */
const ENVELOPE_EXTRA = 'mount_type';

/**
 * Errors whose message differs, with why. The status codes still must match.
 */
const OTHER_MESSAGE: Readonly<Record<string, string>> = {
  // Vault answers an unknown token with a multierror of both reasons (drover's client trims the
  // decoration, test/unit/clients/vault-shapes.test.ts); OpenBao 2.0.0 answers only the first.
  'get_auth_token_lookup_self.bad_token': 'permission denied',
};

type Shape = Map<string, Set<JsonType>>;

function shapeOf(value: unknown): Shape {
  const shape = collectShape(value, OPAQUE);
  shape.set('', new Set([value === null ? 'null' : Array.isArray(value) ? 'array' : (typeof value as JsonType)]));
  return shape;
}

const used = new Set<string>();

function differences(name: string, real: Shape, actual: Shape): string[] {
  const out: string[] = [];
  for (const [path, types] of real) {
    const got = actual.get(path);
    if (!got) {
      if (NOT_SENT[name]?.includes(path)) used.add(`${name}:${path}`);
      else out.push(`${name}: ${path} recorded, not sent by the sandbox`);
    } else if (![...got].some((t) => types.has(t)) && !types.has('null') && !got.has('null')) {
      out.push(`${name}: ${path} is ${[...got].join('|')}, recorded ${[...types].join('|')}`);
    }
  }
  for (const path of actual.keys()) {
    if (real.has(path)) continue;
    if (path === ENVELOPE_EXTRA) continue;
    if (NOT_RECORDED[name]?.includes(path)) used.add(`${name}:${path}`);
    else out.push(`${name}: ${path} sent by the sandbox, not recorded`);
  }
  return out;
}

interface Replayed {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: unknown;
}

describe('sandbox Vault answers match the answers recorded from a real server', () => {
  let served: ServedService;
  const answers = new Map<string, Replayed>();
  const v = (method: string, path: string, body: unknown, token: string): Promise<Answer> =>
    call(served.address, method, path.startsWith('/') ? path : `/v1/${path}`, { headers: { 'X-Vault-Token': token }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

  beforeAll(async () => {
    served = await serve(createVaultService({ clock: createSandboxClock(), rootToken: ROOT }));
    let child = '';
    for (const step of STEPS) {
      if ('setup' in step) {
        const [method, path, body] = step.setup;
        // The sandbox starts with Nomad's JWT mount (jwt-nomad) enabled; a dev server does not.
        if (path.startsWith('sys/auth/') && (await v('GET', path, undefined, ROOT)).status === 200) continue;
        const answer = await v(method, path, body, ROOT);
        expect(answer.status, `${method} ${path}: ${answer.text}`).toBeLessThan(300);
        continue;
      }
      const [name, as] = step;
      const { request } = recorded('vault', name);
      const token = as === 'child' ? child : as === 'bad' ? 'not-a-valid-token-at-all' : ROOT;
      const answer = await v(request.method, request.path, request.body, token);
      answers.set(name, { status: answer.status, contentType: answer.headers.get('content-type'), body: answer.json ?? (answer.text === '' ? null : answer.text) });
      if (name === 'post_auth_token_create') child = (answer.json as { auth: { client_token: string } }).auth.client_token;
    }
  });
  afterAll(() => served?.close());

  it('replays every recorded call', () => {
    expect([...answers.keys()].sort()).toEqual(recordedNames('vault'));
  });

  it.each(recordedNames('vault'))('answers %s with the recorded status and content type', (name) => {
    const real = recorded('vault', name);
    const actual = answers.get(name)!;
    expect({ status: actual.status, contentType: actual.contentType }).toEqual({ status: real.status, contentType: real.contentType });
  });

  it('sends the recorded fields with the recorded JSON types, except the listed differences', () => {
    const found = recordedNames('vault').flatMap((name) => differences(name, shapeOf(recorded('vault', name).body), shapeOf(answers.get(name)!.body)));
    expect(found).toEqual([]);
  });

  it('answers the recorded errors with the recorded messages', () => {
    for (const name of recordedNames('vault').filter((n) => recorded('vault', n).status >= 400)) {
      const real = recorded('vault', name).body as { errors: string[] };
      const answer = answers.get(name)!.body as { errors: string[] };
      if (name in OTHER_MESSAGE) expect({ name, real: real.errors, sandbox: answer.errors.join().includes(OTHER_MESSAGE[name]!) }).toEqual({ name, real: [OTHER_MESSAGE[name]], sandbox: true });
      else expect({ name, body: answer }).toEqual({ name, body: real });
    }
  });

  it('needs every allowlist entry (an entry no answer needs any more must go)', () => {
    const listed = [...Object.entries(NOT_SENT), ...Object.entries(NOT_RECORDED)].flatMap(([file, paths]) => paths.map((p) => `${file}:${p}`));
    expect(listed.filter((entry) => !used.has(entry))).toEqual([]);
  });

  it('reports a missing field and a changed type (the comparison can fail)', () => {
    const real = shapeOf(recorded('vault', 'get_sys_health').body);
    const { version: _dropped, ...rest } = recorded('vault', 'get_sys_health').body;
    const wrong = shapeOf({ ...rest, sealed: 'false' });
    expect(differences('x', real, wrong)).toEqual(['x: sealed is string, recorded boolean', 'x: version recorded, not sent by the sandbox']);
  });
});
