import { defineEnvironment } from '../../../src/index.ts';

/**
 * prod on the local cluster `drover up --env prod` starts beside qa's: it deploys only releases
 * QA verified (read from qa's Consul, DROVER_RELEASES_CONSUL_HTTP_ADDR), with progressive canaries.
 */
export default defineEnvironment({
  name: 'prod',
  description: 'Local prod cluster (drover up --env prod); takes only releases QA verified.',
  nomad: { address: 'http://127.0.0.1:4646', namespace: 'shop' },
  consul: { address: 'http://127.0.0.1:8500' },
  vault: { address: 'http://127.0.0.1:8200' },
  // drover up's Prometheus scrapes every 5 s; the analysis interval is two scrapes.
  prometheus: { address: 'http://127.0.0.1:9090', scrapeInterval: '5s' },
  datacenters: ['prod1'],
  fabio: { domain: 'localhost', address: 'http://127.0.0.1:9999' },
  // Canaries take 10 % then 50 % of their route, two measurements 10 s apart per step: well
  // under a minute per job (drover's defaults, 5 % → 25 % → 50 % at 4 × 30 s, take six).
  promotion: {
    canary: 'progressive',
    confirm: true,
    releasesFrom: 'qa',
    maxReleaseAge: '24h',
    prune: false,
    analysis: { steps: [0.1, 0.5], interval: '10s', count: 2 },
  },
});
