import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import prodCluster from '../../environments/clusters/prod.ts';
import qaCluster from '../../environments/clusters/qa.ts';
import qa from '../../environments/qa.ts';
import { CLUSTER_TAG_KEY, serverTagValue } from '../../src/render/cluster/roles.ts';
import { buildExampleJobs } from '../support/example-jobs.ts';
import { filesUnder, type Hcl, parseHcl, ROOT, readText } from './tf-model.ts';

/**
 * The cluster modules and environment roots against what drover renders and declares: the
 * environments pass what environments/clusters/<env>.ts says (sizes, hosts, region, gossip
 * parameters), the servers carry the tag the rendered retry_join looks for, every static port
 * the qa jobs use on clients is opened, and the READMEs document each port and input.
 */
const AWS = 'terraform/modules/nomad-cluster-aws';
const ONPREM = 'terraform/modules/nomad-cluster-onprem';

async function merged(dir: string): Promise<Hcl> {
  const docs = await Promise.all(filesUnder(dir, '.tf').filter((f) => !f.slice(dir.length + 1).includes('/')).map(parseHcl));
  const out: Hcl = {};
  for (const doc of docs) for (const [key, value] of Object.entries(doc)) out[key] = Array.isArray(value) ? [...(out[key] ?? []), ...value] : { ...out[key], ...value };
  return out;
}
const variableDefault = (doc: Hcl, name: string) => doc.variable[name][0].default;

const awsModule = await merged(AWS);
const onpremModule = await merged(ONPREM);
const qaRoot = await merged('terraform/envs/qa');
const prodRoot = await merged('terraform/envs/prod');
const qaCall: Hcl = qaRoot.module.cluster[0];
const prodCall: Hcl = prodRoot.module.cluster[0];

describe('qa on AWS (terraform/envs/qa)', () => {
  it('asks for the servers and pools of environments/clusters/qa.ts', () => {
    expect(qaCluster.platform).toMatchObject({ kind: 'aws' });
    expect(qaCall.source).toBe('../../modules/nomad-cluster-aws');
    expect(qaCall.env).toBe(qaCluster.env);
    expect(qaCall.server_count).toBe(qaCluster.servers.count);
    expect(qaCall.server_instance_type).toBe(qaCluster.servers.instanceType);
    const pools = Object.fromEntries(
      qaCluster.clients.map((pool) => [pool.name, { instance_type: pool.instanceType, min_size: pool.min ?? pool.count, max_size: pool.max ?? pool.count, desired_capacity: pool.count }]),
    );
    expect(Object.keys(qaCall.client_pools).sort()).toEqual(Object.keys(pools).sort());
    for (const [name, pool] of Object.entries(pools)) expect(qaCall.client_pools[name], name).toMatchObject(pool);
  });

  it('runs in the region the configuration was rendered for', () => {
    const region = qaCluster.platform.kind === 'aws' ? qaCluster.platform.region : '';
    expect(qaCall.region).toBe('${var.aws_region}');
    expect(qaRoot.variable.aws_region[0].default).toBe(region);
    expect(readText('cluster/qa/server/consul.hcl')).toContain(`region=${region} `);
  });

  it('lets the instances read exactly the gossip parameters the cluster names', () => {
    const parameters = Object.values(qaCluster.gossip).flatMap((source) => (source.from === 'aws-ssm' ? [source.parameter] : []));
    expect([...qaCall.gossip_ssm_parameters].sort()).toEqual(parameters.sort());
  });

  it('opens every static port the qa jobs use on the clients', async () => {
    const jobs = await buildExampleJobs(qa);
    const staticPorts = jobs.flatMap((job) => job.spec.groups.flatMap((group) => Object.values(group.ports ?? {}).flatMap((port) => (port.static ? [port.static] : []))));
    expect(staticPorts.length).toBeGreaterThan(3);
    const opened = (qaCall.job_ports as { port: number }[]).map((p) => p.port);
    expect([...new Set(staticPorts)].filter((port) => !opened.includes(port))).toEqual([]);
    expect(opened).toEqual(expect.arrayContaining([qa.fabio.proxyPort, qa.fabio.uiPort, qa.fabio.metricsPort]));
  });
});

describe('module nomad-cluster-aws', () => {
  it('tags servers with the key and value the rendered retry_join looks for', () => {
    expect(variableDefault(awsModule, 'cluster_tag_key')).toBe(CLUSTER_TAG_KEY);
    expect(awsModule.locals.find((l: Hcl) => 'server_tag_value' in l).server_tag_value).toBe('${var.env}-server');
    expect(serverTagValue('qa')).toBe('qa-server');
    for (const role of ['server', 'client-general', 'client-storage']) expect(readText(`cluster/qa/${role}/nomad.hcl`)).toContain(`tag_key=${CLUSTER_TAG_KEY} tag_value=${serverTagValue('qa')}`);
    const server = awsModule.resource.aws_instance.server[0];
    expect(server.tags).toContain('(var.cluster_tag_key) = local.server_tag_value');
  });

  it('boots machines with the rendered user data, gzipped', () => {
    expect(awsModule.locals.find((l: Hcl) => 'server_user_data' in l).server_user_data).toBe('${base64gzip(file("${var.cluster_dir}/server/user-data.yaml"))}');
    expect(awsModule.resource.aws_launch_template.client[0].user_data).toBe('${base64gzip(file("${var.cluster_dir}/client-${each.key}/user-data.yaml"))}');
    expect(awsModule.resource.aws_instance.server[0].user_data_base64).toBe('${local.server_user_data}');
  });

  it('defaults to the agent ports of the cluster definition', () => {
    const ports = qaCluster.ports;
    expect(variableDefault(awsModule, 'ports')).toEqual({
      nomad: ports.nomad,
      consul: { server: ports.consul.server, serf_lan: ports.consul.serfLan, serf_wan: ports.consul.serfWan, https: ports.consul.https },
      vault: ports.vault,
      prometheus: ports.prometheus,
      node_exporter: ports.nodeExporter,
    });
  });

  it('says why each port is open, in the rules and in the README', () => {
    const rules = awsModule.locals.find((l: Hcl) => 'agent_rules' in l).agent_rules as Hcl[];
    expect(rules.length).toBeGreaterThan(10);
    for (const rule of rules) expect(String(rule.why).length, JSON.stringify(rule)).toBeGreaterThan(20);
    // EC2 refuses quotes in a rule description.
    for (const rule of rules) expect(rule.why).toMatch(/^[A-Za-z0-9. _:/()#,@+=&;{}!$*[\]-]+$/);
    const readme = readText(`${AWS}/README.md`);
    const defaults = variableDefault(awsModule, 'ports');
    const numbers = [...Object.values<Record<string, number>>(defaults).flatMap((v) => (typeof v === 'number' ? [v] : Object.values(v))), 20000, 32000, 22];
    for (const port of numbers) expect(readme, `port ${port}`).toMatch(new RegExp(`\\b${port}\\b`));
  });

  it('keeps instance metadata to IMDSv2 with one hop, so tasks cannot borrow the instance role', () => {
    for (const block of [awsModule.resource.aws_instance.server[0].metadata_options[0], awsModule.resource.aws_launch_template.client[0].metadata_options[0]]) {
      expect(block).toMatchObject({ http_tokens: 'required', http_put_response_hop_limit: 1 });
    }
  });
});

describe('prod on-prem (terraform/envs/prod)', () => {
  it('provisions the hosts of environments/clusters/prod.ts as the SSH user it names', () => {
    expect(prodCluster.platform).toEqual({ kind: 'onprem', sshUser: prodCall.ssh_user });
    expect(prodCall.source).toBe('../../modules/nomad-cluster-onprem');
    expect(prodCall.env).toBe(prodCluster.env);
    expect(prodCall.servers).toEqual(prodCluster.servers.hosts?.map(({ name, address }) => ({ name, address })));
    expect(prodCall.client_pools).toEqual(Object.fromEntries(prodCluster.clients.map((pool) => [pool.name, pool.hosts?.map(({ name, address }) => ({ name, address }))])));
  });

  it('puts the certificates and gossip keys where the cluster definition says they are', () => {
    const tlsDir = prodCluster.tls.dir;
    const gossipPaths = Object.values(prodCluster.gossip).flatMap((source) => (source.from === 'file' ? [source.path] : []));
    const text = readText('terraform/envs/prod/cluster.tf');
    expect(text).toContain(`destination = "${tlsDir}/\${file.name}"`);
    for (const path of gossipPaths) expect(path.startsWith('/etc/drover/gossip/')).toBe(true);
    expect(text).toContain('destination = "/etc/drover/gossip/${key}.key"');
    expect(text).not.toMatch(/source\s*=\s*"\$\{path\.(root|module)\}/);
  });

  it('reads secrets from the admin machine, never from the repository', () => {
    expect(prodRoot.variable.secrets_dir[0]).not.toHaveProperty('default');
    expect(onpremModule.variable.ssh_private_key_file[0].default).toBeNull();
    expect(onpremModule.locals.find((l: Hcl) => 'secrets_scripts' in l).secrets_scripts).toContain('sensitive(templatefile(');
  });
});

describe('module nomad-cluster-onprem', () => {
  it('chains the servers: each place waits for the one before it', async () => {
    const servers = await parseHcl(`${ONPREM}/servers.tf`);
    const places = Object.keys(servers.module).sort();
    expect(places).toEqual(['server_1', 'server_2', 'server_3', 'server_4', 'server_5', 'server_6', 'server_7']);
    places.forEach((name, i) => {
      const call = servers.module[name][0];
      expect(call.count).toBe(`\${length(var.servers) >= ${i + 1} ? 1 : 0}`);
      expect(call.host).toBe(`\${var.servers[${i}]}`);
      expect(call.depends_on).toEqual(i === 0 ? undefined : [`\${module.server_${i}}`]);
    });
    const clients = (await parseHcl(`${ONPREM}/clients.tf`)).module.client[0];
    expect(clients.depends_on).toEqual(places.map((name) => `\${module.${name}}`));
  });

  it('provisions a host again only when what it would receive changes', async () => {
    const host = await parseHcl(`${ONPREM}/host/main.tf`);
    const provision = host.resource.terraform_data.provision[0];
    expect(provision.triggers_replace).toEqual({
      address: '${var.host.address}',
      files: '${sha256(var.files_script)}',
      secrets: '${nonsensitive(sha256(var.secrets_script))}',
      apply: '${sha256(var.apply_script)}',
    });
    // hcl2json groups provisioners by type: the order is read from the text.
    const order = [...readText(`${ONPREM}/host/main.tf`).matchAll(/provisioner "([a-z-]+)"/g)].map((m) => m[1]);
    expect(order).toEqual(['remote-exec', 'file', 'file', 'file', 'remote-exec']);
    expect(provision.provisioner.file.map((p: Hcl) => p.destination)).toEqual(['${var.staging_dir}/files.sh', '${var.staging_dir}/secrets.sh', '${var.staging_dir}/apply.sh']);
    expect(provision.provisioner['remote-exec'][0].inline.join('\n')).toContain(':700');
  });

  it('restarts with the option install.sh takes, and waits for a server to rejoin', () => {
    const apply = readText(`${ONPREM}/templates/apply.sh.tftpl`);
    for (const role of ['server', 'client-prod1']) expect(readText(`cluster/prod/${role}/install.sh`)).toContain('"$RESTART" == "--restart"');
    expect(apply).toContain('restart="--restart"');
    expect(apply).toContain('/usr/local/sbin/drover-install.sh');
    expect(readText('cluster/prod/server/files.json')).toContain('"destination": "/usr/local/sbin/drover-install.sh"');
    expect(apply).toMatch(/%\{ if server ~\}[\s\S]*until rejoined[\s\S]*%\{ endif ~\}/);
  });
});

describe('admin documentation', () => {
  it.each([AWS, ONPREM])('%s/README.md documents every input', async (dir) => {
    const readme = readText(`${dir}/README.md`);
    const variables = Object.keys((await merged(dir)).variable);
    expect(variables.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });

  it('terraform/README.md covers render, init/plan/apply, the order with Vault, rolling restarts and destroying', () => {
    expect(existsSync(join(ROOT, 'terraform/README.md'))).toBe(true);
    const readme = readFileSync(join(ROOT, 'terraform/README.md'), 'utf8');
    const phrases = [
      'npx drover cluster render qa',
      'terraform -chdir=terraform/envs/qa init',
      'terraform -chdir=terraform/envs/qa plan -target=module.cluster',
      'terraform -chdir=terraform/envs/qa apply',
      'export VAULT_TOKEN',
      'vault-nomad-workloads',
      'bao operator init',
      "-replace='module.cluster.aws_instance.server[0]'",
      'install.sh --restart',
      'terraform -chdir=terraform/envs/qa destroy -target=module.vault_nomad_workloads',
    ];
    for (const phrase of phrases) {
      expect(readme, phrase).toContain(phrase);
    }
  });
});
