import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callArguments, filesUnder, firstArgument, type Hcl, loadModules, parseHcl, resolvePathInput, ROOT, readText, sourceDir, type TfModule } from './tf-model.ts';

/**
 * Terraform cannot run in CI, so these tests do what `terraform validate` would for references:
 * every module call's inputs are variables of the module (and its required variables are set),
 * every var./local./module./data./resource reference resolves, every provider used is pinned, and
 * every file Terraform reads from the repository (cluster render's output, files.json sources,
 * templates, policies) exists. test/integration/terraform-real.test.ts runs the real terraform
 * (fmt, validate, test) where it is installed.
 */
const modules = await loadModules();
const all = [...modules.values()];
const META_ARGUMENTS = new Set(['source', 'version', 'count', 'for_each', 'depends_on', 'providers']);
const RESOURCE_TYPE = /(?<![\w.])((?:aws|vault|consul|null)_[a-z0-9_]+|terraform_data)\.([A-Za-z_][\w-]*)/g;

/** Each match of `pattern` in the module's expressions, its groups as strings ('' when a group did not take part). */
const refs = (module: TfModule, pattern: RegExp) =>
  module.expressions.flatMap(({ file, text }) => [...text.matchAll(pattern)].map((match) => ({ file, m: [match[0], match[1] ?? '', match[2] ?? ''] as const })));

function undeclaredReferences(module: TfModule): string[] {
  const problems: string[] = [];
  for (const { file, m } of refs(module, /(?<![\w.])var\.([A-Za-z_][\w-]*)/g)) if (!module.variables.has(m[1])) problems.push(`${file}: var.${m[1]} is not declared`);
  for (const { file, m } of refs(module, /(?<![\w.])local\.([A-Za-z_][\w-]*)/g)) if (!module.locals.has(m[1])) problems.push(`${file}: local.${m[1]} is not declared`);
  for (const { file, m } of refs(module, /(?<![\w.])data\.([a-z0-9_]+)\.([A-Za-z_][\w-]*)/g)) if (!module.data.has(`${m[1]}.${m[2]}`)) problems.push(`${file}: data.${m[1]}.${m[2]} is not declared`);
  for (const { file, m } of refs(module, RESOURCE_TYPE)) if (!module.resources.has(`${m[1]}.${m[2]}`)) problems.push(`${file}: ${m[1]}.${m[2]} is not declared`);
  for (const { file, m } of refs(module, /(?<![\w.])module\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?(?:\.([A-Za-z_][\w-]*))?/g)) {
    const call = module.calls.get(m[1]);
    if (!call) problems.push(`${file}: module.${m[1]} is not called`);
    else if (m[2] && !modules.get(sourceDir(module.dir, call))?.outputs.has(m[2])) problems.push(`${file}: module.${m[1]}.${m[2]} is not an output of ${call.source}`);
  }
  return problems;
}

/** Module calls from each root: [caller folder, call name, call body, module folder]. */
const calls = all.flatMap((caller) => [...caller.calls].map(([name, call]) => ({ caller: caller.dir, name, call, target: sourceDir(caller.dir, call) })));

describe('terraform test files', () => {
  const tests = filesUnder('terraform', '.tftest.hcl');

  it('exist for both cluster modules', () => {
    expect(tests).toEqual(['terraform/modules/nomad-cluster-aws/tests/plan.tftest.hcl', 'terraform/modules/nomad-cluster-onprem/tests/plan.tftest.hcl']);
  });

  it.each(tests)('%s parses, and sets only variables its module declares', async (path) => {
    const doc = await parseHcl(path);
    const module = modules.get(path.slice(0, path.indexOf('/tests/')))!;
    const set = [doc.variables?.[0] ?? {}, ...Object.values<Hcl[]>(doc.run ?? {}).map((runs) => runs[0]?.variables?.[0] ?? {})].flatMap((block) => Object.keys(block));
    expect(set.length).toBeGreaterThan(5);
    expect(set.filter((name) => !module.variables.has(name))).toEqual([]);
  });
});

describe('terraform/ module folders', () => {
  it('has both cluster modules, the Consul and Vault modules, their inner host module and both environments', () => {
    expect([...modules.keys()].sort()).toEqual([
      'terraform/envs/prod',
      'terraform/envs/qa',
      'terraform/modules/consul-nomad-workloads',
      'terraform/modules/nomad-cluster-aws',
      'terraform/modules/nomad-cluster-onprem',
      'terraform/modules/nomad-cluster-onprem/host',
      'terraform/modules/vault-nomad-workloads',
    ]);
  });

  it.each(all.map((m) => [m.dir, m] as const))('%s declares what it references', (_dir, module) => {
    expect(module.expressions.length).toBeGreaterThan(5);
    expect(undeclaredReferences(module)).toEqual([]);
  });

  it('reports references that do not resolve (the check can fail)', () => {
    const qa = modules.get('terraform/envs/qa')!;
    const text = 'module.cluster.no_such_output + var.nope + local.nothing + aws_instance.ghost.id + data.aws_ami.none.id + module.missing.x';
    expect(undeclaredReferences({ ...qa, expressions: [{ file: 'x.tf', text }] })).toEqual([
      'x.tf: var.nope is not declared',
      'x.tf: local.nothing is not declared',
      'x.tf: data.aws_ami.none is not declared',
      'x.tf: aws_instance.ghost is not declared',
      'x.tf: module.cluster.no_such_output is not an output of ../../modules/nomad-cluster-aws',
      'x.tf: module.missing is not called',
    ]);
  });

  it.each(all.map((m) => [m.dir, m] as const))('%s pins every provider it uses, with an upper bound', (_dir, module) => {
    const providerOf = (type: string) => type.split('_')[0] ?? type;
    const used = new Set(refs(module, RESOURCE_TYPE).map(({ m }) => providerOf(m[1])).filter((p) => p !== 'terraform'));
    for (const name of module.resources) if (!name.startsWith('terraform_data.')) used.add(providerOf(name));
    for (const name of module.data) used.add(providerOf(name));
    for (const provider of used) {
      expect(module.providers[provider]?.source, `${module.dir}: ${provider}`).toBe(`hashicorp/${provider}`);
      expect(module.providers[provider]?.version, `${module.dir}: ${provider}`).toMatch(/>=\s*[\d.]+,\s*<\s*[\d.]+/);
    }
  });
});

describe.each(calls.map((c) => [`${c.caller} module.${c.name}`, c] as const))('%s', (_label, { call, target }) => {
  const module = modules.get(target);

  it('calls a module folder of this repository', () => {
    expect(module, `${target} has no .tf files`).toBeDefined();
  });

  it('passes only inputs the module declares, and every required one', () => {
    const inputs = Object.keys(call).filter((key) => !META_ARGUMENTS.has(key));
    expect(inputs.filter((input) => !module?.variables.has(input))).toEqual([]);
    const required = [...(module?.variables ?? [])].filter(([, body]) => !('default' in body)).map(([name]) => name);
    expect(required.filter((name) => !inputs.includes(name))).toEqual([]);
  });
});

/** A module call's input as the root passes it: a literal value, or a path from path.root. */
const inputOf = (caller: string, name: string): Hcl => modules.get(caller)!.calls.get(name)!;

/**
 * Every path a file function reads, by module, with how to check it from each caller's inputs.
 * A new file(...) call fails the first test until it is listed here with its check.
 */
type FileCheck = (call: Hcl, caller: string) => string[];
const clusterDir = (call: Hcl, caller: string) => resolvePathInput(caller, call.cluster_dir);
const onpremRoles = (call: Hcl) => ['server', ...Object.keys(call.client_pools).map((pool) => `client-${pool}`)];
const ADMIN_MACHINE: FileCheck = () => [];
const FILE_READS: Record<string, Record<string, FileCheck>> = {
  'terraform/modules/nomad-cluster-aws': {
    'file("${var.cluster_dir}/server/user-data.yaml")': (call, caller) => [`${clusterDir(call, caller)}/server/user-data.yaml`],
    'file("${var.cluster_dir}/client-${each.key}/user-data.yaml")': (call, caller) => Object.keys(call.client_pools).map((pool) => `${clusterDir(call, caller)}/client-${pool}/user-data.yaml`),
  },
  'terraform/modules/nomad-cluster-onprem': {
    'file("${var.cluster_dir}/${role}/files.json")': (call, caller) => onpremRoles(call).map((role) => `${clusterDir(call, caller)}/${role}/files.json`),
    // files.json sources, relative to project_dir: checked entry by entry below.
    'fileset(var.project_dir)': (call, caller) => [resolvePathInput(caller, call.project_dir)],
    'fileset("${var.project_dir}/${entry.source}")': () => [],
    'templatefile("${path.module}/templates/write-files.sh.tftpl")': () => ['terraform/modules/nomad-cluster-onprem/templates/write-files.sh.tftpl'],
    'templatefile("${path.module}/templates/apply.sh.tftpl")': () => ['terraform/modules/nomad-cluster-onprem/templates/apply.sh.tftpl'],
    'filebase64(file.source)': () => [], // rendered files (files.json) and the admin's secret files
    'file(var.ssh_private_key_file)': ADMIN_MACHINE,
  },
  'terraform/modules/vault-nomad-workloads': {
    'fileset(var.policies_dir)': (call, caller) => [resolvePathInput(caller, call.policies_dir)],
    'file("${var.policies_dir}/${file}")': () => [],
    'file(each.value)': () => [],
    'file(var.deployer_policy_file)': (call, caller) => [resolvePathInput(caller, call.deployer_policy_file)],
  },
  'terraform/envs/qa': { 'file(var.nomad_ca_cert_file)': ADMIN_MACHINE },
  'terraform/envs/prod': { 'file(var.nomad_ca_cert_file)': ADMIN_MACHINE },
};
const FILE_FUNCTIONS = ['file', 'filebase64', 'filesha256', 'fileset', 'templatefile', 'fileexists'];

describe('files Terraform reads', () => {
  it('every file function call is listed with its check', () => {
    const found = Object.fromEntries(
      all
        .map((m) => [m.dir, [...new Set(m.expressions.flatMap(({ text }) => FILE_FUNCTIONS.flatMap((fn) => callArguments(text, fn).map((args) => `${fn}(${firstArgument(args)})`))))].sort()] as const)
        .filter(([, reads]) => reads.length > 0),
    );
    expect(found).toEqual(Object.fromEntries(Object.entries(FILE_READS).map(([dir, reads]) => [dir, Object.keys(reads).sort()])));
  });

  it.each(calls.filter((c) => c.target in FILE_READS).map((c) => [`${c.caller} module.${c.name}`, c] as const))('exist for %s', (_label, { caller, call, target }) => {
    const paths = Object.values(FILE_READS[target] ?? {}).flatMap((check) => check(call, caller));
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });

  it.each(calls.filter((c) => c.target === 'terraform/modules/nomad-cluster-onprem').map((c) => [c.caller, c] as const))('every files.json source exists for %s', (_label, { caller, call }) => {
    const project = resolvePathInput(caller, call.project_dir);
    expect(project).toBe('');
    const sources = onpremRoles(call).flatMap((role) => (JSON.parse(readText(`${clusterDir(call, caller)}/${role}/files.json`)).files as { source: string }[]).map((f) => f.source));
    expect(sources.length).toBeGreaterThan(10);
    expect(sources.filter((source) => !existsSync(join(ROOT, project, source)))).toEqual([]);
  });

  it('points each environment at its own rendered cluster', () => {
    expect(clusterDir(inputOf('terraform/envs/qa', 'cluster'), 'terraform/envs/qa')).toBe('cluster/qa');
    expect(clusterDir(inputOf('terraform/envs/prod', 'cluster'), 'terraform/envs/prod')).toBe('cluster/prod');
    expect(statSync(join(ROOT, 'cluster/qa/server/user-data.yaml')).size).toBeGreaterThan(1000);
    expect(readFileSync(join(ROOT, 'cluster/prod/server/files.json'), 'utf8')).toContain('"files"');
  });
});
