import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { witnessUnder } from '../../../src/secrets/check-deployer.ts';
import { allows, readPolicyRules, winningRule, type PolicyRule } from '../../../src/secrets/policy-acl.ts';

/** Parses policy text with HashiCorp's parser, as the checker does. */
async function rulesOf(hcl: string): Promise<PolicyRule[]> {
  const { rules, problems } = readPolicyRules(await parse('p.hcl', hcl));
  expect(problems).toEqual([]);
  return rules;
}

const block = (pattern: string, ...caps: string[]) => `path "${pattern}" {\n  capabilities = [${caps.map((c) => `"${c}"`).join(', ')}]\n}\n`;
const winner = async (path: string, ...blocks: string[]) => winningRule(await rulesOf(blocks.join('')), path)?.pattern;

describe('reading a policy', () => {
  it('reads hcl2json output: one rule per pattern with its capabilities', async () => {
    expect(await rulesOf(block('secret/data/a', 'read') + block('secret/metadata/*', 'list', 'read'))).toEqual([
      { pattern: 'secret/data/a', capabilities: ['read'] },
      { pattern: 'secret/metadata/*', capabilities: ['list', 'read'] },
    ]);
  });

  it('unions repeated patterns, and a deny replaces everything', async () => {
    expect(await rulesOf(block('a', 'read') + block('a', 'list'))).toEqual([{ pattern: 'a', capabilities: ['list', 'read'] }]);
    // Vault strips a leading "/", so these are one rule.
    expect((await rulesOf(block('a', 'read') + block('/a', 'deny'))).map((r) => r.capabilities)).toEqual([['deny']]);
  });

  it('maps the legacy policy shorthand to capabilities', async () => {
    expect(await rulesOf('path "a" { policy = "read" }\n')).toEqual([{ pattern: 'a', capabilities: ['list', 'read'] }]);
  });

  it('reports what Vault would reject', async () => {
    const read = async (hcl: string) => readPolicyRules(await parse('p.hcl', hcl)).problems.map((p) => p.message);
    expect(await read(block('a', 'reed'))).toEqual(['has invalid capability "reed"']);
    expect(await read(block('a/+*', 'read'))).toEqual(["invalid use of wildcards ('+*' is forbidden)"]);
    expect(await read('path "a" { capabilites = ["read"] }\n')).toEqual(['has unknown key "capabilites"']);
    expect(await read('paths "a" { capabilities = ["read"] }\n')).toEqual(['unknown top-level key "paths" (a policy holds only path blocks)']);
  });
});

describe("Vault's matching", () => {
  it('prefers an exact rule over any wildcard', async () => {
    expect(await winner('secret/data/a', block('secret/data/*', 'deny'), block('secret/data/+', 'deny'), block('secret/data/a', 'read'))).toBe('secret/data/a');
  });

  it('takes the longest glob', async () => {
    expect(await winner('secret/data/shop/api', block('secret/*', 'read'), block('secret/data/shop/*', 'deny'))).toBe('secret/data/shop/*');
  });

  it('matches + to exactly one segment', async () => {
    const rules = await rulesOf(block('secret/data/+/database', 'read'));
    expect(allows(rules, 'secret/data/api/database', 'read')).toBe(true);
    expect(allows(rules, 'secret/data/shop/api/database', 'read')).toBe(false);
    expect(allows(rules, 'secret/data/database', 'read')).toBe(false);
  });

  it('lets + combine with a trailing glob on the last segment', async () => {
    const rules = await rulesOf(block('secret/+/sh*', 'read'));
    expect(allows(rules, 'secret/data/shop/api/database', 'read')).toBe(true);
    expect(allows(rules, 'secret/data/web', 'read')).toBe(false);
  });

  it('ranks by first wildcard position, then no trailing glob, then fewer +, then length', async () => {
    // Both wildcards start at the same index; the glob loses.
    expect(await winner('secret/data/a/b', block('secret/data/*', 'read'), block('secret/data/+/b', 'deny'))).toBe('secret/data/+/b');
    // The glob's wildcard comes later than the +.
    expect(await winner('secret/data/ab', block('secret/data/a*', 'read'), block('secret/data/+', 'deny'))).toBe('secret/data/a*');
    expect(await winner('secret/x/y/z', block('secret/+/+/z', 'read'), block('secret/+/y/z', 'deny'))).toBe('secret/+/y/z');
    expect(await winner('secret/x/yy/z', block('secret/+/y*', 'read'), block('secret/+/yy*', 'deny'))).toBe('secret/+/yy*');
  });

  it('honours a deny only when its rule is the one that applies', async () => {
    const rules = await rulesOf(block('secret/*', 'deny') + block('secret/data/a', 'read'));
    expect(allows(rules, 'secret/data/a', 'read')).toBe(true);
    expect(allows(rules, 'secret/data/b', 'read')).toBe(false);
  });

  it('ignores identity-templated rules, whose paths depend on the token', async () => {
    expect(await winner('secret/data/api', block('secret/data/{{identity.entity.name}}', 'read'))).toBeUndefined();
  });
});

describe('witnessUnder', () => {
  const target = ['secret', 'data'];
  it.each([
    ['secret/*', 'secret/data/drover-probe'],
    ['secret/data/shop/*', 'secret/data/shop/drover-probe'],
    ['secret/+/shop', 'secret/data/shop'],
    ['+/+/*', 'secret/data/drover-probe'],
    ['secret/da*', 'secret/data/drover-probe'],
    ['secret/data/x', 'secret/data/x'],
    ['secret/metadata/*', undefined],
    ['secret/+', undefined],
    ['secret/data', undefined],
    ['sys/*', undefined],
  ])('finds a path under secret/data/ that %s matches: %s', (pattern, expected) => {
    expect(witnessUnder(pattern, target)).toBe(expected);
  });
});
