/**
 * drover's Vault client: a narrow, typed view of the Vault HTTP API on node-vault (see
 * package.ts for the package's quirks and how they are handled). See types.ts for the surface.
 * @see https://developer.hashicorp.com/vault/api-docs
 */
import { ApiError } from '../api-error.ts';
import * as S from './shapes.ts';
import { createVaultPackage, type VaultPackage, type VaultRawAnswer, type VaultRequestOptions } from './package.ts';
import { narrowed, send, type VaultCall, type VaultTransportSettings } from './transport.ts';
import type { VaultClient, VaultClientOptions, VaultHealth, VaultHealthStatus } from './types.ts';

export type * from './types.ts';
export { errorText } from './transport.ts';

const DEFAULT_TIMEOUT_MS = 10_000;

/** `sys/health` status codes with Vault's defaults (no `*code` query parameters are sent). */
const HEALTH: Readonly<Record<number, VaultHealthStatus>> = {
  200: 'active', 429: 'standby', 472: 'dr-secondary', 473: 'performance-standby', 474: 'standby-unreachable',
  501: 'uninitialized', 503: 'sealed', 530: 'removed',
};

/**
 * Creates a Vault client. Nothing is contacted until the first call.
 *
 * @example
 * const vault = createVaultClient({ address: 'https://vault.internal:8200', token });
 * const meta = await vault.kv.metadata('secret', 'shop/api/database'); // null when missing
 * if (meta && meta.versions[String(meta.current_version)]?.deletion_time) { … } // latest version soft-deleted
 */
export function createVaultClient(options: VaultClientOptions): VaultClient {
  const pkg = createVaultPackage(options);
  const settings: VaultTransportSettings = {
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: options.retry ?? {},
    onRetry: options.onRetry,
    secrets: [options.token],
    ...(options.caCert === undefined ? {} : { caCert: options.caCert }),
  };
  const call = <T>(spec: VaultCall, invoke: (o: VaultRequestOptions) => Promise<VaultRawAnswer>, narrow: (answer: VaultRawAnswer) => T): Promise<T> =>
    send(spec, settings, invoke).then((answer) => narrowed(spec, answer, settings.secrets, () => narrow(answer)));
  const generic = (spec: VaultCall, body?: object) => (o: VaultRequestOptions) => pkg.request(spec.method, spec.path, body, o);
  const get = <T>(path: string, opts: VaultCallOpts, narrow: (answer: VaultRawAnswer) => T, answers: readonly number[] = [404]): Promise<T> => {
    const spec: VaultCall = { method: 'GET', path, answers, ...opts };
    return call(spec, generic(spec), narrow);
  };
  const post = (path: string, body: object, opts: VaultCallOpts): Promise<void> => {
    const spec: VaultCall = { method: 'POST', path, ...opts };
    return call(spec, generic(spec, body), () => undefined);
  };
  const found = <T>(narrow: (body: unknown) => T) => (answer: VaultRawAnswer): T | null => (answer.status === 404 ? null : narrow(answer.body));
  const listed = (answer: VaultRawAnswer): string[] => (answer.status === 404 ? [] : S.keys(answer.body, 'list'));

  return {
    token: {
      lookupSelf: (opts = {}) =>
        call({ method: 'GET', path: '/auth/token/lookup-self', ...opts }, (o) => pkg.tokenLookupSelf(o), (a) => S.tokenInfo(S.dataOf(a.body, 'lookup-self'), 'lookup-self')),
    },
    kv: {
      metadata: (mount, path, opts = {}) => get(`/${segments(mount)}/metadata/${segments(path)}`, opts, found((b) => S.kvMetadata(S.dataOf(b, 'metadata'), 'metadata'))),
      subkeys: (mount, path, opts = {}) => {
        const query = new URLSearchParams();
        if (opts.depth !== undefined) query.set('depth', String(opts.depth));
        if (opts.version !== undefined) query.set('version', String(opts.version));
        const suffix = query.toString() ? `?${query.toString()}` : '';
        return get(`/${segments(mount)}/subkeys/${segments(path)}${suffix}`, opts, subkeysOf);
      },
    },
    policies: {
      read: (name, opts = {}) => get(`/sys/policies/acl/${segments(name)}`, opts, found((b) => S.aclPolicy(S.dataOf(b, 'policy'), 'policy'))),
      write: (name, hcl, opts = {}) => post(`/sys/policies/acl/${segments(name)}`, { policy: hcl }, opts),
      // `?list=true` is Vault's GET form of the LIST verb.
      list: (opts = {}) => get('/sys/policies/acl?list=true', opts, listed),
    },
    jwt: {
      readRole: (mount, name, opts = {}) =>
        get(`/auth/${segments(mount)}/role/${segments(name)}`, opts, found((b) => S.jwtRoleOf(S.dataOf(b, 'role'), 'role'))),
      writeRole: (mount, name, role, opts = {}) => post(`/auth/${segments(mount)}/role/${segments(name)}`, role, opts),
      listRoles: (mount, opts = {}) => get(`/auth/${segments(mount)}/role?list=true`, opts, listed),
      readConfig: (mount, opts = {}) => get(`/auth/${segments(mount)}/config`, opts, found((b) => S.jwtAuthConfig(S.dataOf(b, 'config'), 'config'))),
    },
    sys: {
      health: (opts = {}) => health(pkg, settings, opts),
      sealStatus: (opts = {}) => call({ method: 'GET', path: '/sys/seal-status', ...opts }, (o) => pkg.sealStatus(o), (a) => S.sealStatus(a.body, 'seal-status')),
    },
  };
}

type VaultCallOpts = { readonly signal?: AbortSignal; readonly timeoutMs?: number };

/** A 404 with `data.metadata` is a deleted or destroyed version, not a missing secret. */
function subkeysOf(answer: VaultRawAnswer): ReturnType<typeof S.kvSubkeys> | null {
  const data = typeof answer.body === 'object' && answer.body !== null ? S.dataOf(answer.body, 'subkeys') : {};
  if (answer.status === 404 && (data['metadata'] === undefined || data['metadata'] === null)) return null;
  return S.kvSubkeys({ ...data, subkeys: answer.status === 404 ? null : data['subkeys'] }, 'subkeys');
}

async function health(pkg: VaultPackage, settings: VaultTransportSettings, opts: VaultCallOpts): Promise<VaultHealth> {
  const spec: VaultCall = { method: 'GET', path: '/sys/health', answers: Object.keys(HEALTH).map(Number), ...opts };
  const answer = await send(spec, settings, (o) => pkg.health(o));
  const status = HEALTH[answer.status];
  if (status === undefined) throw new ApiError({ service: 'vault', method: 'GET', path: '/v1/sys/health', status: answer.status });
  return { status, code: answer.status, body: narrowed(spec, answer, settings.secrets, () => S.health(answer.body, 'health')) };
}

/** Encodes each segment of a mount or secret path, keeping the `/` between them. */
function segments(path: string): string {
  return path.split('/').filter(Boolean).map(encodeURIComponent).join('/');
}
