import { describe, expect, it } from 'vitest';
import prod from '../../../environments/prod.ts';
import qa from '../../../environments/qa.ts';
import { environmentRules, validateEnvironment } from '../../../src/validate/rules/environment.ts';
import { anEnvironment, anEnvironmentWith, where } from './builders.ts';

const FILE = 'environments/qa.ts';
const check = (path: string, value: unknown, known?: readonly string[]) => where(validateEnvironment(anEnvironmentWith(path, value), FILE, known));
const error = (rule: string, path: string) => ({ rule, severity: 'error', file: FILE, path });

describe('validateEnvironment', () => {
  it('accepts the project environments and the builder', () => {
    expect(validateEnvironment(qa, 'environments/qa.ts', ['qa', 'prod'])).toEqual([]);
    expect(validateEnvironment(prod, 'environments/prod.ts', ['qa', 'prod'])).toEqual([]);
    expect(validateEnvironment(anEnvironment(), FILE)).toEqual([]);
  });

  it('has unique env/ rule ids', () => {
    const ids = environmentRules.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^env\/[a-z-]+$/);
  });

  it('env/name: lower-case identifier', () => {
    expect(check('name', 'QA')).toEqual([error('env/name', 'name')]);
    expect(check('name', 'qa_1')).toEqual([error('env/name', 'name')]);
  });

  it('env/address: http(s), no credentials, no query; never prints the address', () => {
    expect(check('nomad.address', 'nomad.qa:4646')).toEqual([error('env/address', 'nomad.address')]);
    expect(check('consul.address', 'ftp://consul.qa')).toEqual([error('env/address', 'consul.address')]);
    expect(check('vault.address', 'https://vault.qa:8200/?token=x')).toEqual([error('env/address', 'vault.address')]);
    const leaked = validateEnvironment(anEnvironmentWith('nomad.address', 'https://admin:s3cretpw@nomad.qa:4646'), FILE);
    expect(where(leaked)).toEqual([error('env/address', 'nomad.address')]);
    expect(JSON.stringify(leaked)).not.toContain('s3cretpw');
    expect(check('prometheus', { address: 'prometheus:9090' })).toEqual([error('env/address', 'prometheus.address')]);
    expect(check('fabio.consulAddress', 'consul:8500/v1')).toEqual([error('env/address', 'fabio.consulAddress')]);
  });

  it('env/registries: hosts as references write them, once each; base URLs without credentials', () => {
    expect(check('registries', [{ host: 'ghcr.io' }, { host: 'registry.internal:5000', address: 'http://127.0.0.1:5000' }, { host: 'docker.io', address: 'https://mirror.internal/' }])).toEqual([]);
    expect(check('registries', { host: 'ghcr.io' })).toEqual([error('env/registries', 'registries')]);
    expect(check('registries', [{ host: 'https://ghcr.io' }, { host: 'GHCR.io' }, {}])).toEqual([error('env/registries', 'registries[0].host'), error('env/registries', 'registries[1].host'), error('env/registries', 'registries[2].host')]);
    expect(check('registries', [{ host: 'ghcr.io' }, { host: 'ghcr.io' }])).toEqual([error('env/registries', 'registries[1].host')]);
    expect(check('registries', [{ host: 'ghcr.io', address: 'ghcr.io' }, { host: 'quay.io', address: 'https://quay.io/v2/' }])).toEqual([error('env/registries', 'registries[0].address'), error('env/registries', 'registries[1].address')]);
    const leaked = validateEnvironment(anEnvironmentWith('registries', [{ host: 'ghcr.io', address: 'https://bot:s3cretpw@ghcr.io' }]), FILE);
    expect(where(leaked)).toEqual([error('env/registries', 'registries[0].address')]);
    expect(JSON.stringify(leaked)).not.toContain('s3cretpw');
  });

  it('env/nomad-names: region, namespace and node pool', () => {
    expect(check('nomad.namespace', 'shop prod')).toEqual([error('env/nomad-names', 'nomad.namespace')]);
    expect(check('nomad.region', '')).toEqual([error('env/nomad-names', 'nomad.region')]);
    expect(check('nodePool', 'gpu/pool')).toEqual([error('env/nomad-names', 'nodePool')]);
  });

  it('env/datacenters: non-empty list of names', () => {
    expect(check('datacenters', [])).toEqual([error('env/datacenters', 'datacenters')]);
    expect(check('datacenters', ['dc1', ' '])).toEqual([error('env/datacenters', 'datacenters[1]')]);
  });

  it('env/fabio-ports: 1..65535 and distinct', () => {
    expect(check('fabio.uiPort', 9999)).toEqual([error('env/fabio-ports', 'fabio.uiPort')]);
    expect(check('fabio.metricsPort', 70000)).toEqual([error('env/fabio-ports', 'fabio.metricsPort')]);
  });

  it('env/fabio-metrics-prefix: Prometheus identifier without "-"', () => {
    expect(check('fabio.metricsPrefix', 'fabio-qa')).toEqual([error('env/fabio-metrics-prefix', 'fabio.metricsPrefix')]);
    expect(check('fabio.metricsPrefix', '{{clean .Hostname}}')).toEqual([error('env/fabio-metrics-prefix', 'fabio.metricsPrefix')]);
    expect(check('fabio.metricsPrefix', 'fabio_qa')).toEqual([]);
  });

  it('env/fabio-domain: DNS name', () => {
    expect(check('fabio.domain', 'https://qa.example.com')).toEqual([error('env/fabio-domain', 'fabio.domain')]);
  });

  it('env/promotion: canary mode, booleans and durations', () => {
    expect(check('promotion.canary', 'sometimes')).toEqual([error('env/promotion', 'promotion.canary')]);
    expect(check('promotion.soak', '2 minutes')).toEqual([error('env/promotion', 'promotion.soak')]);
    expect(check('promotion.maxReleaseAge', '7d')).toEqual([error('env/promotion', 'promotion.maxReleaseAge')]);
    expect(check('promotion.confirm', 'yes')).toEqual([error('env/promotion', 'promotion.confirm')]);
  });

  it('env/releases-from: another known environment', () => {
    expect(check('promotion.releasesFrom', 'qa')).toEqual([error('env/releases-from', 'promotion.releasesFrom')]);
    expect(check('promotion.releasesFrom', 'staging', ['qa', 'prod'])).toEqual([error('env/releases-from', 'promotion.releasesFrom')]);
    expect(check('promotion.releasesFrom', 'prod', ['qa', 'prod'])).toEqual([]);
  });

  it('env/vault: mount paths without slashes, audience set', () => {
    expect(check('vault.kvMount', '/secret/')).toEqual([error('env/vault', 'vault.kvMount')]);
    expect(check('vault.audience', '')).toEqual([error('env/vault', 'vault.audience')]);
  });

  it('env/credentials: nothing token-like in any field, even unknown ones, never printed', () => {
    const token = `hvs.${'Q'.repeat(30)}`;
    const found = validateEnvironment(anEnvironmentWith('vault.token', token), FILE);
    expect(where(found)).toEqual([error('env/credentials', 'vault.token')]);
    expect(JSON.stringify(found)).not.toContain(token);
    expect(check('description', `deploy key ${token}`)).toEqual([error('env/credentials', 'description')]);
    expect(check('nomad.secretId', 'anything')).toEqual([error('env/credentials', 'nomad.secretId')]);
  });
});
