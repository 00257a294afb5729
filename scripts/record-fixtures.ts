/**
 * Records the answers of real Nomad, Consul and Vault servers to the calls drover makes, as JSON
 * fixtures under test/fixtures/recorded/{nomad,consul,vault}/ — the oracle the sandbox contract
 * tests compare against. Run against throw-away dev servers only (it registers and purges jobs,
 * writes KV and policies), see test/fixtures/recorded/README.md:
 *
 *   NOMAD_ADDR=http://127.0.0.1:4646 CONSUL_HTTP_ADDR=http://127.0.0.1:8500 \
 *   VAULT_ADDR=http://127.0.0.1:8200 VAULT_TOKEN=<dev root token> npx tsx scripts/record-fixtures.ts
 *
 * Each service is recorded only when its address is set. The dev root token is scrubbed from
 * every file, as is every token the recording creates.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { recordConsul } from './record-fixtures/consul.ts';
import { recordNomad } from './record-fixtures/nomad.ts';
import { createRecorder, secret } from './record-fixtures/recorder.ts';
import { recordVault } from './record-fixtures/vault.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const outDir = `${root}test/fixtures/recorded/`;

async function version(url: string, pick: (body: any) => string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(url, { headers });
  return pick(await response.json());
}

async function main(): Promise<void> {
  const { NOMAD_ADDR, CONSUL_HTTP_ADDR, VAULT_ADDR, VAULT_TOKEN } = process.env;
  const recorded: string[] = [];
  if (NOMAD_ADDR) {
    rmSync(`${outDir}nomad`, { recursive: true, force: true });
    const v = await version(`${NOMAD_ADDR}/v1/agent/self`, (b) => b.config.Version.Version);
    await recordNomad(createRecorder({ address: NOMAD_ADDR, dir: `${outDir}nomad` }), NOMAD_ADDR, `${root}test/jobs/rendered`);
    recorded.push(`nomad: Nomad v${v} (\`nomad agent -dev\`, raw_exec enabled, Consul and Vault integration configured)`);
  }
  if (CONSUL_HTTP_ADDR) {
    rmSync(`${outDir}consul`, { recursive: true, force: true });
    const v = await version(`${CONSUL_HTTP_ADDR}/v1/agent/self`, (b) => b.Config.Version);
    await recordConsul(createRecorder({ address: CONSUL_HTTP_ADDR, dir: `${outDir}consul` }));
    recorded.push(`consul: Consul v${v} (\`consul agent -dev\`)`);
  }
  if (VAULT_ADDR) {
    if (!VAULT_TOKEN) throw new Error('VAULT_TOKEN (the dev server root token) is needed with VAULT_ADDR');
    secret(VAULT_TOKEN, '<scrubbed-root-token>');
    rmSync(`${outDir}vault`, { recursive: true, force: true });
    const v = await version(`${VAULT_ADDR}/v1/sys/health`, (b) => b.version);
    const as = (token: string) => createRecorder({ address: VAULT_ADDR, dir: `${outDir}vault`, headers: { 'X-Vault-Token': token } });
    await recordVault(as(VAULT_TOKEN), { asToken: as, jwksUrl: `${NOMAD_ADDR ?? 'http://127.0.0.1:4646'}/.well-known/jwks.json` });
    recorded.push(`vault: a Vault API server reporting version ${v} (\`server -dev\`)`);
  }
  if (recorded.length === 0) throw new Error('set NOMAD_ADDR, CONSUL_HTTP_ADDR and/or VAULT_ADDR + VAULT_TOKEN');
  // Versions and date for test/fixtures/recorded/README.md, which a person updates.
  process.stdout.write(`recorded on ${new Date().toISOString().slice(0, 10)}:\n${recorded.join('\n')}\n`);
}

await main();
