import { describe, expect, it } from 'vitest';
import { duplicateStaticPortRule } from '../../../src/validate/rules/duplicate-static-port.ts';
import { portLabelsRule } from '../../../src/validate/rules/port-labels.ts';
import { portMappingRule } from '../../../src/validate/rules/port-mapping.ts';
import { portRangeRule } from '../../../src/validate/rules/port-range.ts';
import { staticPortCollisionRule } from '../../../src/validate/rules/static-port-collision.ts';
import { aGroup, aService, aServiceJob, aSystemJob, aTask, error, run, warn, where } from './builders.ts';

const job = (group: Record<string, unknown>) => aServiceJob({ groups: [aGroup(group)] });

describe('ports/unknown-label', () => {
  it('accepts services, checks and docker ports that name group ports', () => {
    const group = { ports: { http: {}, admin: {} }, services: [aService({ checks: [{ type: 'tcp', port: 'admin' }] })], tasks: [aTask({ ports: ['http', 'admin'] })] };
    expect(run(portLabelsRule, job(group))).toEqual([]);
  });

  it('reports a service port that is not a group port label', () => {
    expect(where(run(portLabelsRule, job({ services: [aService({ port: 'web' })] })))).toEqual([error('ports/unknown-label', 'groups[0].services[0].port')]);
  });

  it('reports a check port that is not a group port label', () => {
    const service = aService({ checks: [{ type: 'http', path: '/', port: 'http' }, { type: 'tcp', port: 'admin' }] });
    expect(where(run(portLabelsRule, job({ services: [service] })))).toEqual([error('ports/unknown-label', 'groups[0].services[0].checks[1].port')]);
  });

  it('reports docker ports entries that are not group port labels', () => {
    expect(where(run(portLabelsRule, job({ tasks: [aTask({ ports: ['http', 'metrics'] })] })))).toEqual([error('ports/unknown-label', 'groups[0].tasks[0].ports[1]')]);
  });

  it('ignores ports of non-docker drivers, and groups without ports tolerate missing arrays', () => {
    expect(run(portLabelsRule, job({ tasks: [aTask({ driver: 'exec', command: 'x', ports: ['nope'] })] }))).toEqual([]);
    expect(where(run(portLabelsRule, job({ ports: undefined })))).toEqual([error('ports/unknown-label', 'groups[0].services[0].port')]);
  });
});

describe('ports/unmapped-to', () => {
  const rawExec = (overrides: Record<string, unknown> = {}) => aTask({ driver: 'raw_exec', command: 'node', image: undefined, ...overrides });

  it('accepts `to` on ports a docker task publishes, and raw_exec ports without `to`', () => {
    expect(run(portMappingRule, job({ ports: { http: { to: 8080 } } }))).toEqual([]);
    expect(run(portMappingRule, job({ ports: { http: {}, admin: { static: 9000 } }, tasks: [rawExec()] }))).toEqual([]);
  });

  it('warns when only exec-like tasks would have to listen on a `to` nothing maps', () => {
    const found = run(portMappingRule, job({ ports: { http: { to: 8080 } }, tasks: [rawExec()] }));
    expect(where(found)).toEqual([warn('ports/unmapped-to', 'groups[0].ports.http.to')]);
    expect(found[0]!.hint).toContain('${NOMAD_PORT_http}');
  });

  it('warns for a label the docker task leaves out of its ports, not for `to` equal to static, -1, or bridge mode', () => {
    const group = { ports: { http: { to: 8080 }, admin: { to: 9000 }, same: { static: 7000, to: 7000 }, any: { to: -1 } }, tasks: [aTask({ ports: ['http'] }), rawExec({ name: 'side' })] };
    expect(where(run(portMappingRule, job(group)))).toEqual([warn('ports/unmapped-to', 'groups[0].ports.admin.to')]);
    expect(run(portMappingRule, job({ ...group, networkMode: 'bridge' }))).toEqual([]);
  });
});

describe('ports/duplicate-static', () => {
  it('reports the second label that reserves the same static port', () => {
    const group = { ports: { http: { static: 8080 }, alt: { static: 8080 }, other: { static: 8081 } } };
    expect(where(run(duplicateStaticPortRule, job(group)))).toEqual([error('ports/duplicate-static', 'groups[0].ports.alt.static')]);
  });
});

describe('ports/range', () => {
  it('accepts 1..65535 and to = -1', () => {
    expect(run(portRangeRule, job({ ports: { http: { static: 1, to: -1 }, b: { static: 65535, to: 65535 } } }))).toEqual([]);
  });

  it('reports static and to outside 1..65535 with exact paths', () => {
    const group = { ports: { http: { static: 0 }, b: { to: 70000 }, c: { static: 80.5 }, d: 'x' } };
    expect(where(run(portRangeRule, job(group)))).toEqual([
      error('ports/range', 'groups[0].ports.http.static'),
      error('ports/range', 'groups[0].ports.b.to'),
      error('ports/range', 'groups[0].ports.c.static'),
      error('ports/range', 'groups[0].ports.d'),
    ]);
  });
});

describe('ports/static-collision', () => {
  it('warns on both sides when a system job and another job reserve the same static port', () => {
    const service = aServiceJob({ groups: [aGroup({ ports: { http: { static: 9200 } } })] });
    expect(where(run(staticPortCollisionRule, [aSystemJob(), service]))).toEqual([
      warn('ports/static-collision', 'groups[0].ports.metrics.static', 'jobs/agent.ts'),
      warn('ports/static-collision', 'groups[0].ports.http.static'),
    ]);
  });

  it('does not warn for service jobs alone or different host networks', () => {
    const a = aServiceJob({ groups: [aGroup({ ports: { http: { static: 9200 } } })] });
    const b = aServiceJob({ id: 'b', groups: [aGroup({ ports: { http: { static: 9200 } } })] });
    const system = aSystemJob({ groups: [aGroup({ ports: { metrics: { static: 9200, hostNetwork: 'private' } }, services: [] })] });
    expect(run(staticPortCollisionRule, [a, b, system])).toEqual([]);
  });
});
