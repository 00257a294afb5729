import { defineEnvironment } from '../../../src/index.ts';

/**
 * QA on the local cluster `drover up --env qa` starts: every release is deployed and verified
 * here first. The addresses are the defaults on 127.0.0.1; up's exports (NOMAD_ADDR, …) override them.
 */
export default defineEnvironment({
  name: 'qa',
  description: 'Local QA cluster (drover up --env qa); releases are verified here before prod takes them.',
  nomad: { address: 'http://127.0.0.1:4646', namespace: 'shop' },
  consul: { address: 'http://127.0.0.1:8500' },
  vault: { address: 'http://127.0.0.1:8200' },
  // drover up's Prometheus scrapes every 5 s.
  prometheus: { address: 'http://127.0.0.1:9090', scrapeInterval: '5s' },
  datacenters: ['qa1'],
  fabio: { domain: 'localhost', address: 'http://127.0.0.1:9999' },
  // A short soak, so that the whole QA → prod flow takes a few minutes on one machine.
  promotion: { canary: 'auto', confirm: false, soak: '20s', prune: false },
});
