import { describe, expect, it } from 'vitest';
import { sandboxNomadFor } from '../../../src/cli/sandbox-stage.ts';
import { sandboxBanner, sandboxExports, type SandboxSetup } from '../../../src/cli/sandbox-text.ts';
import { anEnvironment } from '../validate/builders.ts';

const sandbox = { addresses: { nomad: 'http://127.0.0.1:1', consul: 'http://127.0.0.1:2', vault: 'http://127.0.0.1:3', fabio: 'http://127.0.0.1:4', fabioMetrics: 'http://127.0.0.1:5' } };

describe('sandboxNomadFor', () => {
  it('creates the environment\'s namespace, datacenters and node pool', () => {
    const env = anEnvironment({ nomad: { address: 'x', namespace: 'shop' }, datacenters: ['eu1', 'eu2'], nodePool: 'web' });
    expect(sandboxNomadFor(env)).toEqual({ namespaces: ['shop'], datacenters: ['eu1', 'eu2'], nodePool: 'web' });
  });

  it('names a concrete datacenter for a wildcard and keeps nodes in the default pool for "all"', () => {
    const env = anEnvironment({ datacenters: ['*'], nodePool: 'all' });
    expect(sandboxNomadFor(env)).toMatchObject({ datacenters: ['dc1'], nodePool: 'default' });
  });
});

describe('sandboxExports', () => {
  const env = anEnvironment({ name: 'prod', promotion: { canary: 'progressive', releasesFrom: 'qa' } });
  const base: SandboxSetup = { env, placeholders: ['secret/shop/api#password'], vaultToken: 'hvs.deployer', canaried: ['api'] };

  it('exports the deployer token, Prometheus and the releases Consul when they apply', () => {
    const text = sandboxExports(sandbox, { ...base, prometheus: { address: 'http://127.0.0.1:9' }, releasesFrom: 'http://127.0.0.1:8' }, 'acl');
    expect(text.trim().split('\n')).toEqual([
      'export NOMAD_ADDR=http://127.0.0.1:1',
      'export CONSUL_HTTP_ADDR=http://127.0.0.1:2',
      'export VAULT_ADDR=http://127.0.0.1:3',
      'export VAULT_TOKEN=hvs.deployer',
      'export DROVER_FABIO_ADDR=http://127.0.0.1:4',
      'export DROVER_PROMETHEUS_ADDR=http://127.0.0.1:9',
      'export DROVER_RELEASES_CONSUL_HTTP_ADDR=http://127.0.0.1:8',
      'export NOMAD_TOKEN=acl',
    ]);
  });

  it('exports Fabio\'s UI right after Fabio when the sandbox (or drover up) has one, for drover cluster check', () => {
    const lines = sandboxExports({ addresses: { ...sandbox.addresses, fabioUi: 'http://127.0.0.1:6' } }, base, undefined).trim().split('\n');
    expect(lines.slice(4, 6)).toEqual(['export DROVER_FABIO_ADDR=http://127.0.0.1:4', 'export DROVER_FABIO_UI_ADDR=http://127.0.0.1:6']);
    expect(sandboxExports(sandbox, base, undefined)).not.toContain('DROVER_FABIO_UI_ADDR');
  });

  it('unsets DROVER_PROMETHEUS_ADDR without a Prometheus, so an earlier shell\'s address does not linger', () => {
    expect(sandboxExports(sandbox, base, undefined)).toContain('\nunset DROVER_PROMETHEUS_ADDR\n');
  });

  it('lists every placeholder by path#key, never a value, and says how to get releases and Prometheus', () => {
    const banner = sandboxBanner(sandbox, { ...base, noPrometheus: '--no-prometheus' }, { speed: 1, pid: 42 });
    expect(banner).toContain('secret/shop/api#password   generated placeholder');
    expect(banner).toContain('! No Prometheus (--no-prometheus)');
    expect(banner).toContain('--releases-from');
    expect(banner).toContain('kill 42');
  });
});
