import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { CLUSTER_CHECK_POLICY, clusterCheckPolicy } from '../../../src/cli/up/seed.ts';

/** The policy `drover up` gives its deployer token next to drover-deployer, parsed with HashiCorp's HCL parser. */
describe('clusterCheckPolicy', () => {
  it('grants read on exactly the JWT auth method\'s configuration, nothing else', async () => {
    const doc = (await parse('policy.hcl', clusterCheckPolicy('jwt-nomad'))) as { path: Record<string, { capabilities: string[] }[]> };
    expect(doc.path).toEqual({ 'auth/jwt-nomad/config': [{ capabilities: ['read'] }] });
    expect(CLUSTER_CHECK_POLICY).toBe('drover-cluster-check');
  });

  it('follows the environment\'s vault.jwtAuthPath', async () => {
    const doc = (await parse('policy.hcl', clusterCheckPolicy('nomad-wi'))) as { path: Record<string, unknown> };
    expect(Object.keys(doc.path)).toEqual(['auth/nomad-wi/config']);
  });
});
