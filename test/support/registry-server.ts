/**
 * A real container registry for tests: Debian's `docker-registry` (the CNCF distribution registry
 * 2.8, `bash scripts/install-registry.sh`) on a free loopback port, storing into a temporary
 * directory. Optionally behind token auth, with a token service of the test's own that checks
 * Basic credentials and signs JWTs the registry verifies against a throwaway certificate — the
 * same flow Docker Hub, GHCR and Harbor use. `pushImage` uploads a small image through the
 * registry's own API (no docker needed) and returns the digest the registry stored it under.
 * Without the binary the suites that need it are skipped loudly.
 */
import { spawn, execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild } from '../../src/sandbox/local-process.ts';
import { binaryAvailability as findBinary, type Availability } from '../../src/sandbox/prometheus-process.ts';

export function registryAvailability(): Availability {
  return findBinary('docker-registry', process.env['PATH'] ?? '', 'scripts/install-registry.sh');
}

/** Token auth: the registry sends clients to `realm`, which accepts `username`/`password` (Basic). */
export interface TokenAuthOptions {
  readonly username: string;
  readonly password: string;
}

export interface RegistryServer {
  /** `http://127.0.0.1:<port>` */
  readonly address: string;
  /** `127.0.0.1:<port>`: the host image references name it by. */
  readonly host: string;
  /** Requests the token service answered, for asserting on the flow (Authorization headers included). */
  readonly tokenRequests: readonly { readonly url: string; readonly authorization: string | undefined }[];
  /** Headers that let the test push to `name` (a push token when the registry has token auth). */
  pushHeaders(name: string): Record<string, string>;
  stop(): Promise<void>;
}

const SERVICE = 'drover-test-registry';
const ISSUER = 'drover-test-issuer';

/** Starts the registry; resolves once `/v2/` answers. */
export async function startRegistry(options: { readonly auth?: TokenAuthOptions } = {}): Promise<RegistryServer> {
  const availability = registryAvailability();
  if (!availability.available) throw new Error(availability.reason);
  const dir = mkdtempSync(join(tmpdir(), 'drover-registry-'));
  const port = await freePort();
  const token = options.auth ? await startTokenService(dir, options.auth) : undefined;
  const auth = token ? `auth:\n  token:\n    realm: ${token.realm}\n    service: ${SERVICE}\n    issuer: ${ISSUER}\n    rootcertbundle: ${token.certFile}\n` : '';
  writeFileSync(join(dir, 'config.yml'), `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: 127.0.0.1:${port}\n${auth}`);
  const child = spawn(availability.binary, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const address = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopChild(child, dir);
    await token?.close();
  };
  try {
    await waitUntilServing(address, () => child.exitCode !== null, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  const pushHeaders = (name: string): Record<string, string> => (token ? { Authorization: `Bearer ${token.issue(`repository:${name}:pull,push`)}` } : {});
  return { address, host: `127.0.0.1:${port}`, tokenRequests: token?.requests ?? [], pushHeaders, stop };
}

/** An uploaded image: the tag's manifest digest as the registry computed it. */
export interface PushedImage {
  readonly digest: string;
  readonly mediaType: string;
}

/**
 * Uploads a one-layer image to `name:tag` (config and layer blobs, then the manifest) and
 * returns the digest the registry answered with. `index: true` pushes an OCI index over such a
 * manifest instead, as multi-platform images are. `salt` makes the content, so the digest, differ.
 */
export async function pushImage(registry: RegistryServer, name: string, tag: string, options: { readonly salt?: string; readonly index?: boolean } = {}): Promise<PushedImage> {
  const headers = registry.pushHeaders(name);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: { 'drover.test': `${name}:${tag}:${options.salt ?? ''}` } }, rootfs: { type: 'layers', diff_ids: [] } }));
  const layer = randomBytes(64);
  await uploadBlob(registry, name, config, headers);
  await uploadBlob(registry, name, layer, headers);
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(layer), size: layer.length }],
  };
  if (!options.index) return putManifest(registry, name, tag, manifest, headers);
  const platform = await putManifest(registry, name, `${tag}-amd64`, manifest, headers);
  const size = Buffer.byteLength(JSON.stringify(manifest));
  return putManifest(registry, name, tag, { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ mediaType: platform.mediaType, digest: platform.digest, size, platform: { architecture: 'amd64', os: 'linux' } }] }, headers);
}

async function putManifest(registry: RegistryServer, name: string, tag: string, manifest: { readonly mediaType: string; readonly [field: string]: unknown }, headers: Record<string, string>): Promise<PushedImage> {
  const body = Buffer.from(JSON.stringify(manifest));
  const response = await fetch(`${registry.address}/v2/${name}/manifests/${tag}`, { method: 'PUT', headers: { ...headers, 'Content-Type': manifest.mediaType }, body: new Uint8Array(body) });
  if (response.status !== 201) throw new Error(`manifest PUT ${name}:${tag}: HTTP ${response.status} ${await response.text()}`);
  const digest = response.headers.get('docker-content-digest');
  if (digest !== sha256(body)) throw new Error(`registry stored ${name}:${tag} as ${digest}, expected ${sha256(body)}`);
  return { digest, mediaType: manifest.mediaType };
}

async function uploadBlob(registry: RegistryServer, name: string, blob: Buffer, headers: Record<string, string>): Promise<void> {
  const started = await fetch(`${registry.address}/v2/${name}/blobs/uploads/`, { method: 'POST', headers });
  const location = started.headers.get('location');
  if (started.status !== 202 || !location) throw new Error(`blob upload to ${name}: HTTP ${started.status} ${await started.text()}`);
  const url = new URL(location, registry.address);
  url.searchParams.set('digest', sha256(blob));
  const done = await fetch(url, { method: 'PUT', headers: { ...headers, 'Content-Type': 'application/octet-stream' }, body: new Uint8Array(blob) });
  if (done.status !== 201) throw new Error(`blob PUT to ${name}: HTTP ${done.status} ${await done.text()}`);
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

// --- token service -------------------------------------------------------------------------

interface TokenService {
  readonly realm: string;
  readonly certFile: string;
  readonly requests: { url: string; authorization: string | undefined }[];
  /** A token for `scope`, as the service would issue it. */
  issue(scope: string): string;
  close(): Promise<void>;
}

/** A token service like Docker Hub's: Basic credentials in, a JWT granting the asked scope out. */
async function startTokenService(dir: string, auth: TokenAuthOptions): Promise<TokenService> {
  const keyFile = join(dir, 'token.key');
  const certFile = join(dir, 'token.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=drover-test-token'], { stdio: 'ignore' });
  const key = createPrivateKey(readFileSync(keyFile));
  const certDer = readFileSync(certFile, 'utf8').replace(/-----[^-]+-----|\s/g, '');
  const expected = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  const requests: TokenService['requests'] = [];
  const issue = (scope: string): string => {
    const [type, name, actions] = scope.split(':');
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', x5c: [certDer] };
    const claims = { iss: ISSUER, sub: auth.username, aud: SERVICE, exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access: [{ type, name, actions: (actions ?? 'pull').split(',') }] };
    const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    return `${unsigned}.${sign('sha256', Buffer.from(unsigned), key).toString('base64url')}`;
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ url: url.toString(), authorization: req.headers.authorization });
    if (url.pathname !== '/token') return void res.writeHead(404).end();
    if (req.headers.authorization !== expected) return void res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"details":"incorrect username or password"}');
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token: issue(url.searchParams.get('scope') ?? ''), expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const realm = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  return {
    realm,
    certFile,
    requests,
    issue,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitUntilServing(address: string, exited: () => boolean, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`docker-registry exited: ${stderr()}`);
    const status = await fetch(`${address}/v2/`).then((r) => r.status, () => 0);
    if (status === 200 || status === 401) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`docker-registry did not answer on ${address} within 15 s: ${stderr()}`);
}
