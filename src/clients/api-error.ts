import { DroverError, ExitCode, type DroverErrorDetails } from '../errors.ts';

export type ServiceName = 'nomad' | 'consul' | 'vault' | 'prometheus' | 'registry' | 'fabio';

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
  /** Which server this was and where its address and token came from; set by cli/ (see ServiceOrigin). */
  readonly origin?: ServiceOrigin;
}

/**
 * Where a client's server and credentials came from, so a connection or auth error can say which
 * variable to fix. Names of variables and addresses only; never a token.
 */
export interface ServiceOrigin {
  /** How the server is named in messages, e.g. "Nomad" or "Consul holding qa's releases". */
  readonly name: string;
  readonly address: string;
  /** Where the address came from: a variable (`NOMAD_ADDR`) or a file (`environments/qa.ts`). */
  readonly addressFrom: string;
  /** The variable that overrides the address; named as unset when the address came from elsewhere. */
  readonly addressVariable?: string;
  /** The variable the token is read from (`NOMAD_TOKEN`), when the service takes one. */
  readonly tokenVariable?: string;
  /** Whether that variable was set (its value is never kept here). */
  readonly tokenSet?: boolean;
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

  readonly origin: ServiceOrigin | undefined;

  constructor(init: ApiErrorInit, exitCode: ExitCode = exitCodeFor(init)) {
    const body = truncate(init.body ?? '');
    const what = init.status === undefined ? (init.code ?? 'no response') : `HTTP ${init.status}`;
    const located = init.origin ? locatedFailure(init, init.origin) : undefined;
    const details: DroverErrorDetails = {
      context: { request: `${init.method.toUpperCase()} ${init.path}`, ...(body ? { response: body } : {}) },
      hint: init.hint ?? located?.hint ?? defaultHint(init),
      cause: init.cause,
    };
    super(located?.message ?? `${capitalize(init.service)} request failed: ${what}${body ? `: ${firstLine(body)}` : ''}`, exitCode, details);
    this.origin = init.origin;
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
  if (isDenied(init.status)) return ExitCode.noPermission;
  return init.status === undefined || init.status >= 502 ? ExitCode.unreachable : ExitCode.deploymentFailed;
}

/** 401 or 403: the server would not let this token (or no token) do it. */
export function isDenied(status: number | undefined): boolean {
  return status === 401 || status === 403;
}

/** `error` again with its origin: same class semantics for callers (status, code, exit code), a message naming variable and address. */
export function withOrigin(error: ApiError, origin: ServiceOrigin): ApiError {
  if (error.origin) return error;
  // A client's own hint (a registry's `docker login` advice) says more than the located one; the generic one does not.
  const ownHint = error.hint !== undefined && error.hint !== defaultHint(error) ? { hint: error.hint } : {};
  const init: ApiErrorInit = { service: error.service, method: error.method, path: error.path, status: error.status, body: error.body, origin, cause: error.cause, ...(error.code ? { code: error.code } : {}), ...ownHint };
  return new ApiError(init, error.exitCode);
}

const NETWORK_WORDS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'refused the connection',
  ECONNRESET: 'reset the connection',
  ETIMEDOUT: 'did not answer in time',
  ENOTFOUND: 'has a host name that does not resolve',
  EAI_AGAIN: 'has a host name that could not be resolved now',
  EHOSTUNREACH: 'is not reachable from here',
};

/** "Nomad at http://… (from NOMAD_ADDR) refused the connection", or the token problem; undefined for other failures. */
function locatedFailure(init: ApiErrorInit, origin: ServiceOrigin): { message: string; hint: string } | undefined {
  const where = `${origin.name} at ${origin.address} (from ${origin.addressFrom})`;
  if (init.status === undefined) {
    const words = NETWORK_WORDS[init.code ?? ''] ?? `could not be reached (${init.code ?? 'no response'})`;
    // From a file because the variable is unset: say so, since exporting it is the usual way to a tunnel or sandbox.
    const unset = origin.addressVariable && origin.addressVariable !== origin.addressFrom && origin.addressFrom.startsWith('environments/') ? origin.addressVariable : undefined;
    if (unset) {
      return {
        message: `${origin.name} at ${origin.address} (from ${origin.addressFrom}; ${unset} is not set) ${words}`,
        hint: `Export ${unset} with the address that reaches ${origin.name} from here, or fix ${origin.addressFrom}, and retry.`,
      };
    }
    return { message: `${where} ${words}`, hint: `Check ${origin.addressFrom} (is ${origin.name} running at ${origin.address}?) and retry.` };
  }
  if (!isDenied(init.status)) return undefined;
  const request = `${init.method.toUpperCase()} ${init.path}`;
  if (!origin.tokenVariable) return { message: `${where} denied ${request} (HTTP ${init.status})`, hint: `Check the credentials drover uses for ${origin.name}.` };
  if (!origin.tokenSet) {
    return { message: `${where} denied ${request}: ${origin.tokenVariable} is not set`, hint: `Export ${origin.tokenVariable} with a token allowed to do this, and retry.` };
  }
  return {
    message: `${where} refused the token in ${origin.tokenVariable} for ${request} (HTTP ${init.status})`,
    hint: `The token in ${origin.tokenVariable} is invalid, expired, or its ACL policy does not allow this; export a valid one and retry.`,
  };
}

function defaultHint(init: ApiErrorInit): string | undefined {
  const envVar = { nomad: 'NOMAD_ADDR', consul: 'CONSUL_HTTP_ADDR', vault: 'VAULT_ADDR', prometheus: 'the environment file', registry: 'registries in the environment file', fabio: 'DROVER_FABIO_UI_ADDR' }[init.service];
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
