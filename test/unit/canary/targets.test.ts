import { describe, expect, it } from 'vitest';
import { splitTargets } from '../../../src/canary/targets.ts';
import type { ConsulCatalogService } from '../../../src/wire/consul.ts';

function entry(serviceId: string, port: number, address = '10.0.0.5', serviceAddress = ''): ConsulCatalogService {
  return { ID: 'n', Node: 'node-1', Address: address, Datacenter: 'dc1', ServiceID: serviceId, ServiceName: 'api', ServiceTags: [], ServiceAddress: serviceAddress, ServicePort: port, ServiceMeta: {}, CreateIndex: 1, ModifyIndex: 1 };
}

describe('splitTargets', () => {
  it('names as canary the instances Nomad registered for the canary allocations, whatever their tags', () => {
    const targets = splitTargets(
      [
        entry('_nomad-task-aaaa1111-2222-3333-4444-555566667777-group-api-api-http', 23001),
        entry('_nomad-task-bbbb1111-2222-3333-4444-555566667777-group-api-api-http', 23002, '10.0.0.5', '10.0.0.9'),
        entry('_nomad-task-cccc1111-2222-3333-4444-555566667777-group-api-api-http', 23003, '10.0.0.6'),
      ],
      ['bbbb1111-2222-3333-4444-555566667777'],
    );
    expect(targets).toEqual({ canary: ['10.0.0.9:23002'], stable: ['10.0.0.5:23001', '10.0.0.6:23003'] });
  });

  it('skips instances without a port and does not match an alloc ID that is only a prefix of another', () => {
    const targets = splitTargets([entry('_nomad-task-aaaa-api-http', 0), entry('_nomad-task-aaaa1-api-http', 23004)], ['aaaa']);
    expect(targets).toEqual({ canary: [], stable: ['10.0.0.5:23004'] });
  });
});
