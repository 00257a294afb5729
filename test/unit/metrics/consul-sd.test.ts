import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { APP_RELABEL_CONFIGS, NOMAD_JOB_METRIC_RELABEL } from '../../../src/metrics/app-relabeling.ts';
import { consulSdLabels, consulSdTargetGroups } from '../../../src/metrics/consul-sd.ts';
import type { ConsulCatalogService } from '../../../src/wire/consul.ts';

const entry = (over: Partial<ConsulCatalogService>): ConsulCatalogService => ({
  ID: 'node-id', Node: 'client-1', Address: '10.0.0.5', Datacenter: 'qa1', ServiceID: '_nomad-task-x', ServiceName: 'www',
  ServiceTags: ['http', 'qa'], ServiceAddress: '10.0.0.5', ServicePort: 23456, ServiceMeta: {}, CreateIndex: 1, ModifyIndex: 1, ...over,
});

describe('Consul catalog as Prometheus service discovery', () => {
  it('labels an instance as consul_sd does: tags wrapped in commas, metadata keys made label names', () => {
    expect(consulSdLabels(entry({ ServiceTags: ['http', 'canary'], ServiceMeta: { drover_project: 'shop', 'team.name': 'web' } }))).toEqual({
      __meta_consul_service: 'www',
      __meta_consul_service_id: '_nomad-task-x',
      __meta_consul_service_address: '10.0.0.5',
      __meta_consul_service_port: '23456',
      __meta_consul_address: '10.0.0.5',
      __meta_consul_node: 'client-1',
      __meta_consul_dc: 'qa1',
      __meta_consul_tags: ',http,canary,',
      __meta_consul_service_metadata_drover_project: 'shop',
      __meta_consul_service_metadata_team_name: 'web',
    });
    expect(consulSdLabels(entry({ ServiceTags: [] }))['__meta_consul_tags']).toBe(',,');
  });

  it('gives one group per instance, on the node\'s address when the service registered none, ordered by service then ID', () => {
    const groups = consulSdTargetGroups([
      entry({ ServiceName: 'www', ServiceID: 'b', ServicePort: 2 }),
      entry({ ServiceName: 'api', ServiceID: 'z', ServiceAddress: '', Address: '10.0.0.9', ServicePort: 3 }),
      entry({ ServiceName: 'www', ServiceID: 'a', ServicePort: 1 }),
    ]);
    expect(groups.map((g) => [g.labels['__meta_consul_service'], g.labels['__meta_consul_service_id'], g.targets])).toEqual([
      ['api', 'z', ['10.0.0.9:3']],
      ['www', 'a', ['10.0.0.5:1']],
      ['www', 'b', ['10.0.0.5:2']],
    ]);
  });

  it('relabels the apps exactly as prometheus/prometheus.yml\'s apps job does', () => {
    const committed = parse(readFileSync(new URL('../../../prometheus/prometheus.yml', import.meta.url), 'utf8')) as { scrape_configs: { job_name: string; relabel_configs: unknown; metric_relabel_configs: unknown }[] };
    const apps = committed.scrape_configs.find((job) => job.job_name === 'apps');
    expect(apps?.relabel_configs).toEqual(APP_RELABEL_CONFIGS);
    expect(apps?.metric_relabel_configs).toEqual(NOMAD_JOB_METRIC_RELABEL);
  });
});
