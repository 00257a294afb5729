import type { ChangeMode, ConsulKeyRef, FileTemplate, SecretRef } from '../model/secret.ts';
import type { NomadTemplate } from '../wire/nomad-job.ts';

/** Where the env file with Vault values is rendered; `secrets/` is never readable from outside the task. */
export const VAULT_ENV_FILE = 'secrets/vault.env';
/** Where the env file with Consul KV values is rendered. */
export const CONSUL_ENV_FILE = 'local/consul-kv.env';

/** The KV v2 API path of a secret reference: `<mount>/data/<path>`. */
export function secretDataPath(ref: SecretRef, defaultMount: string): string {
  return `${ref.mount ?? defaultMount}/data/${ref.path}`;
}

/**
 * One env template for all of a task's Vault references, one `with secret` per path so Nomad
 * reads each secret once. Values are emitted with `toJSON` so quotes and newlines survive
 * Nomad's env-file parser; `.Data.data.<key>` (not `index`) makes a missing key an error.
 */
export function renderVaultEnvTemplate(refs: readonly SecretRef[], defaultMount: string): NomadTemplate {
  const byPath = new Map<string, SecretRef[]>();
  for (const ref of refs) {
    const path = secretDataPath(ref, defaultMount);
    byPath.set(path, [...(byPath.get(path) ?? []), ref]);
  }
  const blocks = [...byPath.entries()]
    .sort(([a], [b]) => compare(a, b))
    .map(([path, group]) => {
      const lines = [...group].sort((a, b) => compare(a.env, b.env)).map((ref) => `${ref.env}={{ .Data.data.${ref.key} | toJSON }}`);
      return [`{{ with secret ${JSON.stringify(path)} }}`, ...lines, '{{ end }}'].join('\n');
    });
  return envTemplate(VAULT_ENV_FILE, `${blocks.join('\n')}\n`, '0400');
}

/** One env template for a task's Consul KV references; `key` waits until the key exists. */
export function renderConsulEnvTemplate(refs: readonly ConsulKeyRef[]): NomadTemplate {
  const lines = [...refs].sort((a, b) => compare(a.env, b.env)).map((ref) => `${ref.env}={{ key ${JSON.stringify(ref.key)} | toJSON }}`);
  return envTemplate(CONSUL_ENV_FILE, `${lines.join('\n')}\n`, '0644');
}

/** A user file template. */
export function renderFileTemplate(file: FileTemplate): NomadTemplate {
  const change = changeMode(file.onChange);
  return {
    DestPath: file.destination,
    EmbeddedTmpl: file.data,
    ...change,
    Envvars: false,
    ErrMissingKey: true,
    Perms: file.perms ?? '0644',
  };
}

function envTemplate(destination: string, data: string, perms: string): NomadTemplate {
  return { DestPath: destination, EmbeddedTmpl: data, ChangeMode: 'restart', Envvars: true, ErrMissingKey: true, Perms: perms };
}

function changeMode(mode: ChangeMode | undefined): Pick<NomadTemplate, 'ChangeMode' | 'ChangeSignal'> {
  if (mode?.mode === 'signal') return { ChangeMode: 'signal', ChangeSignal: mode.signal.toUpperCase() };
  return { ChangeMode: mode?.mode ?? 'restart' };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
