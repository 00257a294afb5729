import { defineEnvironment } from '../src/index.ts';

/**
 * Dev: one `nomad agent -dev` on this machine, with Consul and OpenBao (or Vault) dev servers;
 * README "Run the examples on a real dev agent" sets it up. www, api and worker run from the
 * agent's checkout with raw_exec, fabio from the agent's PATH; postgres, db-backup and
 * node-exporter are left out (`drover jobs dev` says why). Addresses only, all on loopback.
 */
export default defineEnvironment({
  name: 'dev',
  description: 'One-node dev cluster on 127.0.0.1; the example apps run from this checkout (raw_exec).',
  nomad: { address: 'http://127.0.0.1:4646' },
  consul: { address: 'http://127.0.0.1:8500' },
  vault: { address: 'http://127.0.0.1:8200' },
  prometheus: { address: 'http://127.0.0.1:9090' },
  // `nomad agent -dev` names its datacenter dc1; its namespace is "default".
  datacenters: ['dc1'],
  // Browsers and most resolvers send *.localhost to 127.0.0.1: http://www.localhost:9999/.
  fabio: { domain: 'localhost', address: 'http://127.0.0.1:9999' },
  // No release gate: dev neither records releases nor takes them. Nomad promotes a canary once
  // its checks pass (auto_promote), so a dev deploy needs no `drover promote`; a canary that
  // fails them is still reverted (auto_revert).
  promotion: { canary: 'auto', confirm: false, prune: false },
});
