/**
 * drover's container registry client (Docker Registry HTTP API v2, on axios): the digest of a
 * tagged manifest, anonymously or with credentials, through Basic auth or a Bearer token service.
 * The only file that sends registry requests.
 * @see https://distribution.github.io/distribution/spec/api/
 * @see https://distribution.github.io/distribution/spec/auth/token/
 */
import { createHash } from 'node:crypto';
import type { AxiosResponse } from 'axios';
import { ApiError } from '../api-error.ts';
import { createAxiosInstance } from '../http/axios-instance.ts';
import { networkApiError } from '../http/network-error.ts';
import { withRetries } from '../http/retrying.ts';
import { redactText } from '../redact.ts';
import { parseChallenge, tokenUrl } from './challenge.ts';
import type { RegistryClient, RegistryClientOptions } from './types.ts';

export type * from './types.ts';

const DEFAULT_TIMEOUT_MS = 10_000;
/** Index types first: a multi-platform tag's digest is its index's, which is what `image@digest` pulls. */
const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');
const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** Token services may omit expires_in; the spec's default lifetime is 60 s. */
const DEFAULT_TOKEN_SECONDS = 60;

type Method = 'HEAD' | 'GET';

/** Creates a client for one registry. Nothing is contacted until the first call. */
export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const host = options.host ?? new URL(options.address).host;
  const basic = options.credentials ? Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64') : undefined;
  const secrets: string[] = [options.credentials?.password, basic].filter((s): s is string => Boolean(s));
  const { http, close } = createAxiosInstance({ ...options, headers: {} });
  /** Authorization per repository name: a Bearer token is scoped to one repository. */
  const authorization = new Map<string, { readonly header: string; readonly expiresAt: number }>();

  const send = async (method: Method, url: string, headers: Record<string, string>, signal: AbortSignal | undefined): Promise<AxiosResponse<unknown>> => {
    if (signal?.aborted) throw signal.reason;
    try {
      return await http.request({ method, url, headers, timeout: timeoutMs, responseType: method === 'GET' ? 'arraybuffer' : 'text', ...(signal ? { signal } : {}) });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw networkApiError(error, { service: 'registry', method, path: url }, secrets);
    }
  };

  const failure = (method: Method, path: string, response: AxiosResponse<unknown>, hint?: string): ApiError =>
    new ApiError({ service: 'registry', method, path, status: response.status, body: redactText(bodyText(response.data), secrets), ...(hint ? { hint } : {}) });

  /** Answers a 401's challenge; false when there is nothing to answer it with. */
  const authorize = async (name: string, response: AxiosResponse<unknown>, signal: AbortSignal | undefined): Promise<boolean> => {
    const challenge = parseChallenge(headerOf(response, 'www-authenticate'));
    if (challenge?.scheme === 'basic') {
      if (!basic || authorization.get(name)?.header === `Basic ${basic}`) return false;
      authorization.set(name, { header: `Basic ${basic}`, expiresAt: Infinity });
      return true;
    }
    const url = challenge ? tokenUrl(challenge, name) : undefined;
    if (!url) return false;
    const reply = await send('GET', url.toString(), { Accept: 'application/json', ...(basic ? { Authorization: `Basic ${basic}` } : {}) }, signal);
    const where = `${url.origin}${url.pathname}`;
    if (reply.status !== 200) throw failure('GET', where, reply, tokenHint(reply.status, host, Boolean(basic)));
    const token = parseToken(bodyText(reply.data));
    if (!token) throw failure('GET', where, reply, 'The token service answered without a token; does the registry use a standard token service?');
    secrets.push(token.value);
    authorization.set(name, { header: `Bearer ${token.value}`, expiresAt: Date.now() + token.seconds * 1000 });
    return true;
  };

  /** One request to a manifest, answering at most one auth challenge. */
  const manifest = async (method: Method, name: string, reference: string, signal: AbortSignal | undefined): Promise<AxiosResponse<unknown>> => {
    const path = `/v2/${name}/manifests/${reference}`;
    for (let challenged = false; ; challenged = true) {
      const auth = authorization.get(name);
      const headers: Record<string, string> = { Accept: MANIFEST_TYPES, ...(auth && auth.expiresAt > Date.now() ? { Authorization: auth.header } : {}) };
      const response = await send(method, path, headers, signal);
      if (response.status !== 401 || challenged || !(await authorize(name, response, signal))) {
        if (response.status >= 200 && response.status <= 299) return response;
        throw failure(method, path, response, manifestHint(response.status, { host, name, reference }, Boolean(basic)));
      }
    }
  };

  const manifestDigest = (name: string, reference: string, opts: { readonly signal?: AbortSignal } = {}): Promise<string> =>
    withRetries({ idempotent: true, method: 'HEAD', signal: opts.signal }, { policy: options.retry ?? {}, ...(options.onRetry ? { onRetry: options.onRetry } : {}) }, async () => {
      const head = await manifest('HEAD', name, reference, opts.signal);
      const digest = headerOf(head, 'docker-content-digest');
      if (digest && DIGEST.test(digest)) return digest;
      // Some registries leave the header out of HEAD answers: the digest is the hash of the manifest's bytes.
      const body = await manifest('GET', name, reference, opts.signal);
      return `sha256:${createHash('sha256').update(Buffer.from(body.data as ArrayBuffer)).digest('hex')}`;
    });

  return { manifestDigest, close };
}

function headerOf(response: AxiosResponse<unknown>, name: string): string | undefined {
  const value: unknown = response.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function bodyText(data: unknown): string {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return Buffer.from(data as ArrayBuffer).toString('utf8');
  return '';
}

/** `{token}` or `{access_token}` (OAuth2 style), with `expires_in` seconds. */
function parseToken(text: string): { readonly value: string; readonly seconds: number } | undefined {
  try {
    const body = JSON.parse(text) as { token?: unknown; access_token?: unknown; expires_in?: unknown };
    const value = typeof body.token === 'string' && body.token ? body.token : typeof body.access_token === 'string' && body.access_token ? body.access_token : undefined;
    if (!value) return undefined;
    const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_SECONDS;
    // Refresh a little early, so a token does not expire between the check and the request.
    return { value, seconds: Math.max(1, seconds - 5) };
  } catch {
    return undefined;
  }
}

function credentialHint(host: string, hasCredentials: boolean): string {
  return hasCredentials
    ? `The credentials for ${host} in Docker's config.json ($DOCKER_CONFIG/config.json) were refused; log in again (\`docker login ${host}\`).`
    : `No credentials for ${host} were found in Docker's config.json ($DOCKER_CONFIG/config.json); log in (\`docker login ${host}\`) or make the repository public.`;
}

function tokenHint(status: number, host: string, hasCredentials: boolean): string | undefined {
  return status === 401 || status === 403 ? credentialHint(host, hasCredentials) : undefined;
}

function manifestHint(status: number, image: { readonly host: string; readonly name: string; readonly reference: string }, hasCredentials: boolean): string | undefined {
  if (status === 401 || status === 403) return credentialHint(image.host, hasCredentials);
  if (status === 404) return `The registry has no ${image.name}:${image.reference}: push it, or fix the tag in the job.`;
  return undefined;
}
