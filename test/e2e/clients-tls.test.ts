/**
 * TLS as HashiCorp clusters use it: a private CA (`NOMAD_CACERT`, `VAULT_CACERT`) and, for Nomad,
 * mutual TLS with a client certificate (`NOMAD_CLIENT_CERT`, `NOMAD_CLIENT_KEY`). Certificates are
 * made with openssl in a temp dir for each run; skipped loudly when openssl is missing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/clients/api-error.ts';
import { createNomadClient } from '../../src/clients/nomad/index.ts';
import { createVaultClient } from '../../src/clients/vault/index.ts';
import { SENTINELS } from '../support/sentinels.ts';

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasOpenssl) console.warn('\n!!!!!!!!!! SKIPPED: test/e2e/clients-tls.test.ts — openssl is not on PATH !!!!!!!!!!\n');

interface Pki { ca: string; serverCert: string; serverKey: string; clientCert: string; clientKey: string }

/** A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by the CA (EC keys: fast). */
function makePki(dir: string): Pki {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl('req', '-x509', ...key, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=drover test CA');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  for (const [name, subject, ext] of [['server', '/CN=127.0.0.1', 'server.ext'], ['client', '/CN=drover', undefined]] as const) {
    ssl('req', ...key, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '1', ...(ext ? ['-extfile', ext] : []));
  }
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  return { ca: read('ca.crt'), serverCert: read('server.crt'), serverKey: read('server.key'), clientCert: read('client.crt'), clientKey: read('client.key') };
}

describe.skipIf(!hasOpenssl)('clients over TLS', () => {
  let dir: string;
  let pki: Pki;
  let mutual: Server;
  let plain: Server;
  const address = (server: Server) => `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'drover-tls-'));
    pki = makePki(dir);
    // Nomad with `verify_https_client = true`: no client certificate, no handshake.
    mutual = createServer({ key: pki.serverKey, cert: pki.serverCert, ca: pki.ca, requestCert: true, rejectUnauthorized: true }, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Nomad-Index': '1' });
      res.end('"127.0.0.1:4647"');
    });
    plain = createServer({ key: pki.serverKey, cert: pki.serverCert }, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ type: 'shamir', initialized: true, sealed: false, t: 1, n: 1, progress: 0, version: '1.21.0' }));
    });
    await Promise.all([mutual, plain].map((s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))));
  }, 30_000);

  afterAll(async () => {
    for (const server of [mutual, plain]) {
      server?.closeAllConnections();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reaches Nomad with the private CA and a client certificate (mutual TLS)', async () => {
    const nomad = createNomadClient({ address: address(mutual), token: SENTINELS.NOMAD_TOKEN, caCert: pki.ca, clientCert: pki.clientCert, clientKey: pki.clientKey });
    expect(await nomad.status.leader()).toBe('127.0.0.1:4647');
    nomad.close();
  });

  it('fails without the client certificate, and without the CA, as network errors with a code', async () => {
    const noCert = createNomadClient({ address: address(mutual), caCert: pki.ca, retry: { retries: 0 } });
    const refused = await noCert.status.leader().catch((e: unknown) => e);
    noCert.close();
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: undefined, code: expect.any(String) });
    const noCa = createNomadClient({ address: address(mutual), token: SENTINELS.NOMAD_TOKEN, clientCert: pki.clientCert, clientKey: pki.clientKey, retry: { retries: 0 } });
    const untrusted = await noCa.status.leader().catch((e: unknown) => e);
    noCa.close();
    expect(untrusted).toMatchObject({ status: undefined, code: expect.stringMatching(/CERT|SIGNED|VERIFY/) });
  });

  it('refuses half a client identity', () => {
    expect(() => createNomadClient({ address: address(mutual), clientCert: pki.clientCert })).toThrow('clientCert and clientKey');
  });

  it('reaches Vault with the private CA (VAULT_CACERT), and fails without it', async () => {
    const vault = createVaultClient({ address: address(plain), token: SENTINELS.VAULT_TOKEN, caCert: pki.ca });
    expect(await vault.sys.sealStatus()).toMatchObject({ sealed: false, type: 'shamir' });
    const untrusted = await createVaultClient({ address: address(plain), token: SENTINELS.VAULT_TOKEN, retry: { retries: 0 } }).sys.sealStatus().catch((e: unknown) => e);
    expect(untrusted).toMatchObject({ service: 'vault', status: undefined, code: expect.stringMatching(/CERT|SIGNED|VERIFY/) });
  });
});
