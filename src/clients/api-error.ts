import { DroverError, ExitCode, type DroverErrorDetails } from '../errors.ts';

export type ServiceName = 'nomad' | 'consul' | 'vault' | 'prometheus' | 'registry';

const MAX_BODY_CHARS = 500;

export interface ApiErrorInit {
  readonly service: ServiceName;
  readonly method: string;
  /** Request path without the query string's secrets (tokens never travel in queries here). */
  readonly path: string;
  /** HTTP status, or undefined when no response arrived (timeout, reset, refused). */
  readonly status: number | undefined;
  /** Response body as text, truncated; for Nomad this is the plain-text error message. */
  readonly body?: string;
  /** Network-level error code such as ECONNRESET, ECONNREFUSED, ETIMEDOUT. */
  readonly code?: string;
  readonly hint?: string;
  readonly cause?: unknown;
}

/**
 * Every HTTP failure from Nomad, Consul, Vault, Prometheus or a container registry. Branch on `status` (or `code` when
 * no response arrived), never on message text.
 */
export class ApiError extends DroverError {
  readonly service: ServiceName;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly body: string;
  readonly code: string | undefined;

  constructor(init: ApiErrorInit, exitCode: ExitCode = exitCodeFor(init)) {
    const body = truncate(init.body ?? '');
    const what = init.status === undefined ? (init.code ?? 'no response') : `HTTP ${init.status}`;
    const details: DroverErrorDetails = {
      context: { request: `${init.method.toUpperCase()} ${init.path}`, ...(body ? { response: body } : {}) },
      hint: init.hint ?? defaultHint(init),
      cause: init.cause,
    };
    super(`${capitalize(init.service)} request failed: ${what}${body ? `: ${firstLine(body)}` : ''}`, exitCode, details);
    this.service = init.service;
    this.method = init.method.toUpperCase();
    this.path = init.path;
    this.status = init.status;
    this.body = body;
    this.code = init.code;
  }

  /** True when nothing answered: refused, reset, timed out, DNS failure. */
  get isNetworkError(): boolean {
    return this.status === undefined;
  }
}

/** Nomad's EnforceIndex (check-and-set) rejection; recognised in exactly one place in the Nomad client. */
export class ConflictError extends ApiError {
  constructor(init: ApiErrorInit) {
    super(init, ExitCode.refused);
  }
}

function exitCodeFor(init: ApiErrorInit): ExitCode {
  return init.status === undefined || init.status >= 502 ? ExitCode.unreachable : ExitCode.deploymentFailed;
}

function defaultHint(init: ApiErrorInit): string | undefined {
  const envVar = { nomad: 'NOMAD_ADDR', consul: 'CONSUL_HTTP_ADDR', vault: 'VAULT_ADDR', prometheus: 'the environment file', registry: 'registries in the environment file' }[init.service];
  if (init.status === undefined) return `Check that ${init.service} is reachable (${envVar}) and retry.`;
  if (init.status === 401 || init.status === 403) return `Check the ${init.service} token's permissions for ${init.method.toUpperCase()} ${init.path}.`;
  return undefined;
}

function truncate(text: string): string {
  return text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}… (${text.length - MAX_BODY_CHARS} more chars)` : text;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
