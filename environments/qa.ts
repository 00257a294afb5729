import { defineEnvironment } from '../src/index.ts';

/** QA: every release is deployed and verified here first. Addresses only — tokens come from the shell. */
export default defineEnvironment({
  name: 'qa',
  description: 'Shared QA cluster; releases are verified here before prod takes them.',
  nomad: { address: 'https://nomad.qa.example.internal:4646', region: 'global', namespace: 'shop' },
  consul: { address: 'https://consul.qa.example.internal:8501' },
  vault: { address: 'https://vault.qa.example.internal:8200' },
  prometheus: { address: 'http://prometheus.qa.example.internal:9090' },
  datacenters: ['qa1'],
  nodePool: 'default',
  // To pin every image tag to its digest when qa deploys (recorded in the release, run by prod),
  // list the registries drover may ask, e.g. registries: [{ host: 'ghcr.io' }]. The example images
  // are not published anywhere, so the example project leaves it out.
  fabio: { domain: 'qa.example.internal', address: 'http://fabio.qa.example.internal:9999' },
  promotion: { canary: 'auto', confirm: false, soak: '2m', prune: true },
  // jobs/log-shipper.ts ships every allocation's output here; its credentials are a Vault reference.
  logs: { sink: { kind: 'loki', address: 'https://loki.qa.example.internal:3100', auth: { strategy: 'basic', secret: { path: 'log-shipper/loki' } } } },
});
