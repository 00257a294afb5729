import { describe, expect, it } from 'vitest';
import qa from '../../../environments/qa.ts';
import { deriveVaultAccess, roleBody } from '../../../src/secrets/derive.ts';
import { compareRole, diffLines, durationToSeconds, normalizePolicyText, sameAccess, uncomparableRoleFields } from '../../../src/secrets/vault-state-compare.ts';
import type { VaultJwtRoleRead } from '../../../src/wire/vault.ts';
import { buildExampleJobs } from '../../support/example-jobs.ts';

const api = deriveVaultAccess((await buildExampleJobs(qa)).find((j) => j.spec.id === 'api')!, qa)!;
const body = roleBody(api.role);

/** What Vault reads back for a role written with `written`: every field, unset ones at their defaults. */
function readBack(written: Record<string, unknown>): VaultJwtRoleRead {
  return {
    role_type: 'oidc', bound_audiences: [], bound_subject: '', bound_claims: {}, bound_claims_type: 'string', user_claim: '', user_claim_json_pointer: false,
    claim_mappings: {}, groups_claim: '', token_policies: [], token_type: 'default', token_ttl: 0, token_max_ttl: 0, token_period: 0,
    token_explicit_max_ttl: 0, token_no_default_policy: false, token_num_uses: 0,
    ...(written as Partial<VaultJwtRoleRead>),
  };
}

describe('compareRole', () => {
  it('finds no difference between the committed role and what Vault reads back for it', () => {
    expect(compareRole(body, readBack(body))).toEqual([]);
  });

  it('applies Vault’s normalisation: duration strings are seconds, lists are sets, policies lower-case, one-item claim lists are strings', () => {
    const file = { ...body, token_ttl: '30m', token_period: '1800', bound_audiences: 'vault.io', token_policies: ['Drover-API', 'drover-api'], bound_claims: { nomad_namespace: ['shop'], nomad_job_id: 'api' } };
    expect(compareRole(file, readBack(body))).toEqual([]);
  });

  it('reports each differing field with Vault’s value and the file’s', () => {
    const vault = readBack({ ...body, token_ttl: 3600, bound_audiences: ['vault.io', 'other'], claim_mappings: {} });
    expect(compareRole(body, vault)).toEqual([
      { field: 'bound_audiences', vault: ['vault.io', 'other'], file: ['vault.io'] },
      { field: 'claim_mappings', vault: {}, file: body.claim_mappings },
      { field: 'token_ttl', vault: 3600, file: 1800 },
    ]);
  });

  it('holds fields the file leaves out to Vault’s defaults, so a hand-set max TTL in Vault is drift', () => {
    expect(compareRole(body, readBack({ ...body, token_max_ttl: 7200, bound_subject: 'x' }))).toEqual([
      { field: 'bound_subject', vault: 'x', file: '' },
      { field: 'token_max_ttl', vault: 7200, file: 0 },
    ]);
  });

  it('treats a role_type left out of the file as Vault’s default "oidc"', () => {
    const { role_type: _type, ...withoutType } = body;
    expect(compareRole(withoutType, readBack(body))).toEqual([{ field: 'role_type', vault: 'jwt', file: 'oidc' }]);
  });

  it('names file fields drover cannot read back', () => {
    expect(uncomparableRoleFields({ ...body, token_bound_cidrs: ['10.0.0.0/8'] })).toEqual(['token_bound_cidrs']);
    expect(uncomparableRoleFields(body)).toEqual([]);
  });
});

describe('durationToSeconds', () => {
  it.each([
    [1800, 1800],
    ['1800', 1800],
    ['30m', 1800],
    ['1h30m', 5400],
    ['90s', 90],
  ])('%j is %d seconds', (input, seconds) => expect(durationToSeconds(input)).toBe(seconds));

  it.each(['30 minutes', '', 'm30', true])('%j never compares equal', (input) => expect(durationToSeconds(input)).toBeNaN());
});

describe('policy text', () => {
  it('ignores line endings, trailing blanks and final newlines, nothing else', () => {
    expect(normalizePolicyText('a  \r\nb\n\n')).toBe('a\nb');
    expect(normalizePolicyText('  a')).toBe('  a');
  });

  it('diffs Vault’s text (-) against the file’s (+), keeping common lines', () => {
    expect(diffLines('# old\npath "a" {}\npath "x" {}\n', '# new\npath "a" {}\n')).toEqual([
      { op: '-', text: '# old' },
      { op: '+', text: '# new' },
      { op: ' ', text: 'path "a" {}' },
      { op: '-', text: 'path "x" {}' },
    ]);
    expect(diffLines('same\n', 'same')).toEqual([{ op: ' ', text: 'same' }]);
  });

  it('compares access by pattern and capabilities, not by order or spelling of the leading slash', () => {
    const a = [{ pattern: 'secret/data/a', capabilities: ['read'] }, { pattern: 'secret/data/b', capabilities: ['list', 'read'] }];
    const b = [{ pattern: '/secret/data/b', capabilities: ['read', 'list'] }, { pattern: 'secret/data/a', capabilities: ['read'] }];
    expect(sameAccess(a, b)).toBe(true);
    expect(sameAccess(a, [{ pattern: 'secret/data/a', capabilities: ['read'] }])).toBe(false);
  });
});
