/**
 * A few read-only Vault client calls against a real dev server (`vault server -dev`, or OpenBao's
 * `bao server -dev`) on PATH, over real HTTP on 127.0.0.1 with a port of its own and a sentinel
 * as its root token. Skipped, loudly, when neither binary is on PATH.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVaultClient, type VaultClient } from '../../src/clients/vault/index.ts';
import { startRealVault, type RealVault } from '../support/real-cluster.ts';
import { findOnPath, missingBinaries } from '../support/real-process.ts';
import { SENTINELS } from '../support/sentinels.ts';

// OpenBao refuses a custom root token ID with Vault's token prefixes (`hvs.`, `s.`): its dev
// server exits with "failed to create root token with ID …: invalid request".
const TOKEN = SENTINELS.VAULT_TOKEN.replace(/^hvs\./, '');
const binary = findOnPath('vault') ?? findOnPath('bao');
if (!binary) missingBinaries('test/integration/vault-real.test.ts', [], ['vault or bao']);

describe.skipIf(!binary)('vault client against a real dev server', () => {
  let server: RealVault | undefined;
  let address = '';
  let vault: VaultClient;

  beforeAll(async () => {
    server = await startRealVault(TOKEN);
    address = server.address;
    vault = createVaultClient({ address, token: TOKEN, retry: { retries: 0 } });
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
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
