import { defineEnvironment } from '../src/index.ts';

/** Production: takes only releases QA verified; canaries are promoted by drover's traffic steps and Prometheus analysis. */
export default defineEnvironment({
  name: 'prod',
  description: 'Production, two datacenters.',
  nomad: { address: 'https://nomad.prod.example.internal:4646', region: 'global', namespace: 'shop' },
  consul: { address: 'https://consul.prod.example.internal:8501' },
  vault: { address: 'https://vault.prod.example.internal:8200' },
  prometheus: { address: 'http://prometheus.prod.example.internal:9090' },
  datacenters: ['prod1', 'prod2'],
  nodePool: 'default',
  fabio: { domain: 'example.com' },
  // Canaries take 5 % → 25 % → 50 % of their route, 4 measurements 30 s apart per step (drover's defaults).
  promotion: { canary: 'progressive', confirm: true, releasesFrom: 'qa', maxReleaseAge: '168h', prune: false },
  // jobs/log-shipper.ts ships every allocation's output to Elasticsearch ('opensearch' speaks the same bulk API).
  logs: { sink: { kind: 'elasticsearch', address: 'https://logs.prod.example.internal:9200', auth: { strategy: 'basic', secret: { path: 'log-shipper/elasticsearch' } } } },
});
