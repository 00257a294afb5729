/**
 * The Vault calls drover makes (KV v2 reads and metadata, sys health and seal status, ACL
 * policies, token lookup-self, JWT auth roles), against a real dev server (OpenBao or Vault).
 * Tokens are created here and registered as secrets, so no fixture holds one; the values written
 * to KV are harmless words.
 */
import { type Recorder, secret } from './recorder.ts';

/** Nomad's default workload-identity role, as `nomad setup vault` writes it. */
const NOMAD_ROLE = {
  role_type: 'jwt',
  bound_audiences: 'vault.io',
  user_claim: '/nomad_job_id',
  user_claim_json_pointer: true,
  claim_mappings: { nomad_namespace: 'nomad_namespace', nomad_job_id: 'nomad_job_id', nomad_task: 'nomad_task' },
  token_type: 'service',
  token_period: '30m',
  token_policies: ['nomad-workloads'],
};

const POLICY = 'path "secret/data/recorded/*" {\n  capabilities = ["read"]\n}\n';

/** Options of {@link recordVault}. */
export interface VaultRecording {
  /** A recorder that sends another token. */
  readonly asToken: (token: string) => Recorder;
  /** A JWKS URL the server can reach (Vault fetches it when the JWT config is written): Nomad's. */
  readonly jwksUrl: string;
}

/** Records the whole Vault set. */
export async function recordVault(vault: Recorder, { asToken, jwksUrl }: VaultRecording): Promise<void> {
  // What an earlier run left would change versions (and refuse the check-and-set write).
  await vault.call('DELETE', '/v1/secret/metadata/recorded/app');
  await vault.call('DELETE', '/v1/sys/auth/jwt-nomad');
  await vault.record('get_sys_health', 'GET', '/v1/sys/health');
  await vault.record('get_sys_seal_status', 'GET', '/v1/sys/seal-status');
  await vault.record('put_sys_policies_acl_name', 'PUT', '/v1/sys/policies/acl/deploy', { policy: POLICY });
  await vault.record('get_sys_policies_acl_name', 'GET', '/v1/sys/policies/acl/deploy');
  await vault.record('get_sys_policies_acl_name.not_found', 'GET', '/v1/sys/policies/acl/no-such-policy');
  await vault.record('list_sys_policies_acl', 'GET', '/v1/sys/policies/acl?list=true');
  await vault.record('get_sys_policy', 'GET', '/v1/sys/policy');
  await vault.record('get_sys_policy_name', 'GET', '/v1/sys/policy/deploy');

  await vault.record('post_mount_data_path', 'POST', '/v1/secret/data/recorded/app', { data: { greeting: 'hello', nested: { word: 'world' } } });
  await vault.call('POST', '/v1/secret/data/recorded/app', { options: { cas: 1 }, data: { greeting: 'hello again', nested: { word: 'world' } } });
  await vault.record('post_mount_data_path.cas_mismatch', 'POST', '/v1/secret/data/recorded/app', { options: { cas: 1 }, data: { greeting: 'late' } });
  await vault.record('post_mount_metadata_path', 'POST', '/v1/secret/metadata/recorded/app', { max_versions: 5, custom_metadata: { owner: 'team-shop' } });
  await vault.record('get_mount_data_path', 'GET', '/v1/secret/data/recorded/app');
  await vault.record('get_mount_data_path.version', 'GET', '/v1/secret/data/recorded/app?version=1');
  await vault.record('get_mount_data_path.not_found', 'GET', '/v1/secret/data/recorded/missing');
  await vault.record('get_mount_metadata_path', 'GET', '/v1/secret/metadata/recorded/app');
  await vault.record('list_mount_metadata_path', 'GET', '/v1/secret/metadata/recorded?list=true');
  await vault.record('get_mount_subkeys_path', 'GET', '/v1/secret/subkeys/recorded/app');
  await vault.record('get_mount_config', 'GET', '/v1/secret/config');

  await vault.call('POST', '/v1/sys/auth/jwt-nomad', { type: 'jwt' });
  await vault.record('post_auth_jwt_config', 'POST', '/v1/auth/jwt-nomad/config', { jwks_url: jwksUrl, jwt_supported_algs: ['EdDSA', 'RS256'], default_role: 'nomad-workloads' });
  await vault.record('get_auth_jwt_config', 'GET', '/v1/auth/jwt-nomad/config');
  await vault.record('post_auth_jwt_role_name', 'POST', '/v1/auth/jwt-nomad/role/nomad-workloads', NOMAD_ROLE);
  await vault.record('get_auth_jwt_role_name', 'GET', '/v1/auth/jwt-nomad/role/nomad-workloads');
  await vault.record('post_auth_jwt_role_name.oidc_default', 'POST', '/v1/auth/jwt-nomad/role/no-type', { user_claim: 'sub', bound_audiences: 'x' });
  await vault.record('get_sys_auth_path', 'GET', '/v1/sys/auth/jwt-nomad');

  // Registered as secrets before the answer that carries them is written.
  const answer = await vault.call('POST', '/v1/auth/token/create', { policies: ['deploy'], meta: { user: 'recorder' }, ttl: '1h' });
  const created = answer.body as { auth: { client_token: string; accessor: string } };
  secret(created.auth.client_token, '<scrubbed-token>');
  secret(created.auth.accessor, '<scrubbed-accessor>');
  vault.write('post_auth_token_create', answer);
  const child = asToken(created.auth.client_token);
  await child.record('get_auth_token_lookup_self', 'GET', '/v1/auth/token/lookup-self');
  await child.record('get_mount_data_path.permitted', 'GET', '/v1/secret/data/recorded/app');
  await child.record('get_mount_metadata_path.permission_denied', 'GET', '/v1/secret/metadata/recorded/app');
  const root = (await vault.call('GET', '/v1/auth/token/lookup-self')).body as { data: { accessor: string } };
  secret(root.data.accessor, '<scrubbed-root-accessor>');
  await vault.record('get_auth_token_lookup_self.root', 'GET', '/v1/auth/token/lookup-self');
  secret('not-a-valid-token-at-all', '<scrubbed-bad-token>');
  await asToken('not-a-valid-token-at-all').record('get_auth_token_lookup_self.bad_token', 'GET', '/v1/auth/token/lookup-self');
  await vault.call('POST', '/v1/auth/token/revoke', { token: created.auth.client_token });
}
