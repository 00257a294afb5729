/**
 * A Vault KV v2 value exposed to a task as an environment variable. Only the reference is ever
 * stored or rendered; Nomad fetches the value at run time through the task's workload identity.
 * @see https://developer.hashicorp.com/nomad/docs/job-specification/template#vault-kv-api-v2
 */
export interface SecretRef {
  /** Environment variable the task sees, e.g. `DATABASE_PASSWORD`. */
  readonly env: string;
  /** Secret path inside the mount, e.g. `api/database` (no `data/` segment). */
  readonly path: string;
  /** Key inside the secret, e.g. `password`. Must be an identifier so a missing key fails the template. */
  readonly key: string;
  /** KV v2 mount. @default the environment's `vault.kvMount` */
  readonly mount?: string;
}

/**
 * A Consul KV value exposed as an environment variable (what a Kubernetes ConfigMap key would be).
 * @see https://developer.hashicorp.com/nomad/docs/job-specification/template#consul-kv
 */
export interface ConsulKeyRef {
  readonly env: string;
  /** Consul KV key, e.g. `config/api/log_level`. */
  readonly key: string;
}

/** How a task reacts when a rendered template changes. */
export type ChangeMode = { readonly mode: 'restart' } | { readonly mode: 'noop' } | { readonly mode: 'signal'; readonly signal: string };

/** A file rendered by Nomad's template engine (consul-template syntax) into the task directory. */
export interface FileTemplate {
  /** Destination relative to the task directory, e.g. `local/nginx.conf` or `secrets/tls.pem`. */
  readonly destination: string;
  /** Template text. consul-template `{{ }}` syntax is passed through untouched. */
  readonly data: string;
  /** @default { mode: "restart" } */
  readonly onChange?: ChangeMode;
  /** File mode. @default "0644" */
  readonly perms?: string;
}
