import { describe, expect, it } from 'vitest';
import qa from '../../../environments/qa.ts';
import logShipper from '../../../jobs/log-shipper.ts';
import { defineEnvironment } from '../../../src/config/environment.ts';
import { validateEnvironment } from '../../../src/validate/rules/environment.ts';
import { logsSinkRule } from '../../../src/validate/rules/logs-sink.ts';
import { aServiceJob, anEnvironmentWith, loaded, where } from './builders.ts';

const FILE = 'environments/qa.ts';
const LOKI = { kind: 'loki', address: 'https://loki.qa.internal:3100' };
const sinkWith = (extra: Record<string, unknown>) => validateEnvironment(anEnvironmentWith('logs', { sink: { ...LOKI, ...extra } }), FILE);
const error = (rule: string, path: string) => ({ rule, severity: 'error', file: FILE, path });

describe('env/logs', () => {
  it('accepts each kind of store, with and without auth', () => {
    expect(sinkWith({})).toEqual([]);
    expect(sinkWith({ tenantId: 'shop', auth: { strategy: 'bearer', secret: { path: 'logs/loki', mount: 'kv' } } })).toEqual([]);
    expect(sinkWith({ kind: 'elasticsearch', address: 'https://es:9200', index: 'logs-%Y.%m.%d', auth: { strategy: 'basic', secret: { path: 'logs/es' } } })).toEqual([]);
    expect(sinkWith({ kind: 'opensearch', address: 'http://os:9200' })).toEqual([]);
  });

  it('wants a sink of a known kind', () => {
    expect(where(validateEnvironment(anEnvironmentWith('logs', {}), FILE))).toEqual([error('env/logs', 'logs.sink')]);
    const [wrong] = sinkWith({ kind: 'splunk' });
    expect(wrong).toMatchObject({ rule: 'env/logs', location: { path: 'logs.sink.kind' }, message: 'Log sink kind "splunk" is not one drover can ship to' });
    expect(wrong?.hint).toContain("'loki', 'elasticsearch', 'opensearch'");
  });

  it('wants an http(s) base URL without credentials or the Loki push path, and never prints it', () => {
    expect(where(sinkWith({ address: 'loki:3100' }))).toEqual([error('env/logs', 'logs.sink.address')]);
    expect(where(sinkWith({ address: 'https://loki:3100/loki/api/v1/push' }))).toEqual([error('env/logs', 'logs.sink.address')]);
    const leaked = sinkWith({ address: 'https://shipper:hunter22pw@loki:3100' });
    expect(where(leaked)).toEqual([error('env/logs', 'logs.sink.address')]);
    expect(leaked[0]?.hint).toContain('auth');
    expect(JSON.stringify(leaked)).not.toContain('hunter22pw');
  });

  it('takes credentials only as a Vault reference, with a strategy the sink has', () => {
    expect(where(sinkWith({ auth: { strategy: 'digest', secret: { path: 'logs/loki' } } }))).toEqual([error('env/logs', 'logs.sink.auth.strategy')]);
    expect(where(sinkWith({ kind: 'elasticsearch', auth: { strategy: 'bearer', secret: { path: 'logs/es' } } }))).toEqual([error('env/logs', 'logs.sink.auth.strategy')]);
    expect(where(sinkWith({ auth: { strategy: 'basic', secret: { path: '/secret/data/logs' } } }))).toEqual([error('env/logs', 'logs.sink.auth.secret.path')]);
    expect(where(sinkWith({ auth: { strategy: 'basic', secret: { path: 'data/logs' } } }))).toEqual([error('env/logs', 'logs.sink.auth.secret.path')]);
    expect(where(sinkWith({ auth: { strategy: 'basic', secret: { path: 'logs', mount: '/kv/' } } }))).toEqual([error('env/logs', 'logs.sink.auth.secret.mount')]);
    expect(where(sinkWith({ auth: { strategy: 'basic' } }))).toEqual([error('env/logs', 'logs.sink.auth.secret.path')]);
  });

  it('wants an index name the stores accept', () => {
    for (const index of ['Logs', '_logs', 'logs {{ job }}', 'a/b', '']) {
      expect(where(sinkWith({ kind: 'elasticsearch', index }))).toEqual([error('env/logs', 'logs.sink.index')]);
    }
  });

  it('reports a key of another kind of sink as unknown', () => {
    expect(where(sinkWith({ index: 'logs' }))).toEqual([error('env/unknown-key', 'logs.sink.index')]);
    expect(where(sinkWith({ kind: 'opensearch', tenantId: 'x' }))).toEqual([error('env/unknown-key', 'logs.sink.tenantId')]);
    expect(where(validateEnvironment(anEnvironmentWith('logs', { sink: LOKI, sinks: [] }), FILE))).toEqual([error('env/unknown-key', 'logs.sinks')]);
  });
});

describe('logs/sink', () => {
  const noSink = defineEnvironment({ ...qa, logs: undefined });
  const shipper = loaded(logShipper.build(noSink), 'jobs/log-shipper.ts');

  it('fails the log shipper where the environment has no sink, naming both ways out', () => {
    const found = logsSinkRule.check({ env: noSink, jobs: [shipper] });
    expect(where(found)).toEqual([{ rule: 'logs/sink', severity: 'error', file: 'jobs/log-shipper.ts', path: 'meta["drover.log-shipper"]' }]);
    expect(found[0]?.message).toBe('Job log-shipper ships logs, but environment qa has no logs.sink to ship them to');
    expect(found[0]?.hint).toMatch(/environments\/qa\.ts.*excludeFrom/);
  });

  it('passes it where there is one, and other jobs anywhere', () => {
    expect(logsSinkRule.check({ env: qa, jobs: [loaded(logShipper.build(qa), 'jobs/log-shipper.ts')] })).toEqual([]);
    expect(logsSinkRule.check({ env: noSink, jobs: [loaded(aServiceJob())] })).toEqual([]);
  });
});
