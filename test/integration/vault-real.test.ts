/**
 * A few read-only Vault client calls against a real dev server (`vault server -dev`, or OpenBao's
 * `bao server -dev`) on PATH, over real HTTP on 127.0.0.1 with a port of its own and the sentinel
 * as its root token. Skipped, loudly, when neither binary is on PATH.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVaultClient, type VaultClient } from '../../src/clients/vault/index.ts';
import { SENTINELS } from '../support/sentinels.ts';

const TOKEN = SENTINELS.VAULT_TOKEN;
const binary = ['vault', 'bao']
  .flatMap((name) => (process.env['PATH'] ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, name)))
  .find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
if (!binary) console.warn('\n!!!!!!!!!! SKIPPED: test/integration/vault-real.test.ts — no `vault` or `bao` binary on PATH; the Vault client was NOT checked against a real server !!!!!!!!!!\n');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.skipIf(!binary)('vault client against a real dev server', () => {
  let server: ChildProcess | undefined;
  let address = '';
  let home = '';
  let vault: VaultClient;

  beforeAll(async () => {
    const port = await freePort();
    home = mkdtempSync(join(tmpdir(), 'drover-vault-home-'));
    server = spawn(binary ?? 'vault', ['server', '-dev', `-dev-root-token-id=${TOKEN}`, `-dev-listen-address=127.0.0.1:${port}`], {
      stdio: 'ignore',
      // The dev server writes the root token to $HOME/.vault-token: keep it in a temp dir removed afterwards.
      env: { ...process.env, HOME: home, VAULT_TOKEN: '', VAULT_ADDR: '' },
    });
    address = `http://127.0.0.1:${port}`;
    vault = createVaultClient({ address, token: TOKEN, retry: { retries: 0 } });
    const deadline = Date.now() + 60_000;
    while ((await vault.sys.health().catch(() => undefined))?.status !== 'active') {
      if (Date.now() > deadline) throw new Error('vault server -dev did not become active within 60s');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }, 90_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('reads health, seal status and its own token (without the token ID)', async () => {
    expect(await vault.sys.health()).toMatchObject({ status: 'active', code: 200, body: { initialized: true, sealed: false } });
    expect(await vault.sys.sealStatus()).toMatchObject({ sealed: false, initialized: true });
    const self = await vault.token.lookupSelf();
    expect(self.policies).toContain('root');
    expect(inspect(self)).not.toContain(TOKEN);
  });

  it('lists and reads policies, and answers null/[] for what does not exist', async () => {
    expect(await vault.policies.list()).toEqual(expect.arrayContaining(['default', 'root']));
    expect((await vault.policies.read('default'))?.policy).toContain('auth/token/lookup-self');
    expect(await vault.policies.read('drover-missing')).toBeNull();
    expect(await vault.kv.metadata('secret', 'drover/missing')).toBeNull();
    expect(await vault.kv.subkeys('secret', 'drover/missing')).toBeNull();
  });

  it('maps a bad token to a 403 that does not carry it', async () => {
    const error = await createVaultClient({ address, token: SENTINELS.CONSUL_HTTP_TOKEN }).token.lookupSelf().catch((e: unknown) => e);
    expect(error).toMatchObject({ service: 'vault', status: 403 });
    expect(inspect(error, { depth: 20 })).not.toContain(SENTINELS.CONSUL_HTTP_TOKEN);
  });
});
