import { describe, expect, it } from 'vitest';
import { devProfileOf, withoutDevExclusions } from '../../../src/cluster-check/dev-profile.ts';
import { clusterCheckDocument, formatCheckResult, formatCheckSummary } from '../../../src/cluster-check/format.ts';
import type { CheckResult } from '../../../src/cluster-check/result.ts';
import { createStyle } from '../../../src/report/style.ts';
import qaCluster from '../../../environments/clusters/qa.ts';
import dev from '../../../environments/dev.ts';
import qa from '../../../environments/qa.ts';

const plain = createStyle(false);

describe('devProfileOf', () => {
  it('expects one server and one local client with raw_exec in the environment\'s node pool, ACLs off, the definition\'s versions and datacenter', () => {
    const profile = devProfileOf(qaCluster, qa);
    expect(profile.servers).toEqual({ datacenter: 'qa1', count: 1 });
    expect(profile.clients).toEqual([{ name: 'local', nodePool: qa.nodePool === 'all' ? 'default' : qa.nodePool, datacenter: 'qa1', count: 1, meta: {}, drivers: ['raw_exec'], hostVolumes: {} }]);
    expect(profile.acls).toBe(false);
    expect(profile.versions.openbao).toBe('2.6.2');
  });

  it('builds one for an environment without a definition, in its first concrete datacenter', () => {
    const profile = devProfileOf(undefined, dev);
    expect(profile.servers).toEqual({ datacenter: 'dc1', count: 1 });
    expect(profile.env).toBe('dev');
  });
});

describe('withoutDevExclusions', () => {
  it('skips TLS, ACLs, gossip and versions with what was found, and leaves the rest as judged', () => {
    const results: CheckResult[] = [
      { id: 'nomad/tls', title: 'TLS', status: 'fail', detail: 'the address is plain http://', fix: 'use https' },
      { id: 'nomad/leader', title: 'leader', status: 'fail', detail: 'no leader', fix: 'start it' },
    ];
    expect(withoutDevExclusions(results)).toEqual([
      { id: 'nomad/tls', title: 'TLS', status: 'skipped', detail: 'dev profile: plain HTTP on 127.0.0.1 (found: the address is plain http://)' },
      results[1],
    ]);
  });
});

describe('cluster check output', () => {
  const pass: CheckResult = { id: 'nomad/leader', title: 'Nomad has a leader', status: 'pass', detail: 'leader at 10.0.0.1:4647', fix: 'never shown' };
  const fail: CheckResult = { id: 'vault/unsealed', title: 'OpenBao initialised and unsealed', status: 'fail', detail: 'sealed', fix: 'bao operator unseal' };

  it('prints a pass on one line and a failure with its status and fix under it', () => {
    expect(formatCheckResult(pass, plain)).toBe('✔ Nomad has a leader: leader at 10.0.0.1:4647\n');
    expect(formatCheckResult(fail, plain)).toBe('✖ OpenBao initialised and unsealed [fail]: sealed\n    → bao operator unseal\n');
  });

  it('sums up by status with the exit code and why', () => {
    expect(formatCheckSummary('qa', [pass, fail], 1, plain)).toBe('✖ cluster check qa: 1 passed, 1 failed; exit 1\n');
    expect(formatCheckSummary('qa', [{ ...fail, status: 'unreachable' }], 69, plain)).toBe('✖ cluster check qa: 1 unreachable; exit 69 (a service could not be reached)\n');
  });

  it('writes one JSON document with counts for every status', () => {
    const doc = JSON.parse(clusterCheckDocument('qa', [pass, fail], 1)) as Record<string, unknown>;
    expect(doc).toMatchObject({ schema: 'drover.cluster-check/v1', env: 'qa', ok: false, exitCode: 1, counts: { pass: 1, fail: 1, warn: 0, skipped: 0, unreachable: 0, denied: 0 } });
  });
});
