import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { exclusionReason } from '../../../src/model/define-job.ts';
import { renderJob } from '../../../src/render/job.ts';
import { renderJobHcl } from '../../../src/render/hcl/index.ts';
import type { NomadJob, NomadTaskGroup } from '../../../src/wire/nomad-job.ts';
import { aContext, environments } from '../../support/environments.ts';
import { loadExampleJobs } from '../../support/example-jobs.ts';
import { hclToNomadJob, unescapeTemplate } from '../../support/hcl-to-nomad.ts';

const S = 1_000_000_000;
const M = 60 * S;

/** Parses with HashiCorp's HCL parser (throws on invalid HCL) and maps back to the wire job. */
async function roundTrip(job: NomadJob): Promise<NomadJob> {
  const text = renderJobHcl(job);
  return hclToNomadJob(await parse(`${job.ID}.nomad.hcl`, text));
}

/**
 * hcl2json returns labeled blocks keyed by label with keys sorted (Go maps), so groups, tasks,
 * ports, spread targets come back in label order. Compare against the original in that order; the
 * order Nomad itself will see is checked on the text in 'keeps the wire order …'.
 */
function inLabelOrder(job: NomadJob): NomadJob {
  const byName = <T,>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  const group = (g: NomadTaskGroup): NomadTaskGroup => ({
    ...g,
    Tasks: [...g.Tasks].sort(byName((t) => t.Name)),
    Spreads: g.Spreads?.map((s) => ({ ...s, SpreadTarget: s.SpreadTarget && [...s.SpreadTarget].sort(byName((t) => t.Value)) })),
    Networks: g.Networks?.map((n) => ({
      ...n,
      ReservedPorts: n.ReservedPorts && [...n.ReservedPorts].sort(byName((p) => p.Label)),
      DynamicPorts: n.DynamicPorts && [...n.DynamicPorts].sort(byName((p) => p.Label)),
    })),
  });
  return {
    ...job,
    Spreads: job.Spreads?.map((s) => ({ ...s, SpreadTarget: s.SpreadTarget && [...s.SpreadTarget].sort(byName((t) => t.Value)) })),
    TaskGroups: [...job.TaskGroups].sort(byName((g) => g.Name)).map(group),
  };
}

const TEMPLATE_WITH_EVERYTHING = [
  '{{ with secret "secret/data/x" }}',
  'PASSWORD={{ .Data.data.password | toJSON }}',
  '{{ end }}',
  'dir=${NOMAD_TASK_DIR}/conf %{ if x } 100% $$ $${kept} %%{kept}',
  'quote=" backslash=\\ tab=\t',
  'EOT',
  '  EOT1 appears too',
  '',
].join('\n');

const serviceJob: NomadJob = {
  ID: 'api',
  Name: 'api',
  Type: 'service',
  Region: 'global',
  Namespace: 'shop',
  Priority: 70,
  Datacenters: ['dc1', 'dc2'],
  NodePool: 'web',
  Constraints: [
    { LTarget: '${attr.kernel.name}', RTarget: 'linux', Operand: '=' },
    { Operand: 'distinct_hosts' },
  ],
  Affinities: [{ LTarget: '${node.class}', RTarget: 'fast', Operand: '=', Weight: -40 }],
  Spreads: [{ Attribute: '${node.datacenter}', Weight: 100, SpreadTarget: [{ Value: 'dc2', Percent: 30 }, { Value: 'dc1', Percent: 70 }] }],
  Update: { MaxParallel: 2, HealthCheck: 'checks', MinHealthyTime: 10 * S, HealthyDeadline: 5 * M, ProgressDeadline: 90 * M, AutoRevert: true, AutoPromote: false, Canary: 0 },
  Meta: { 'drover.env': 'qa', 'drover.git_sha': 'abc123', 'drover.spec_hash': '0f1e2d3c4b5a6978', owner: 'team "shop"' },
  UI: { Description: 'Shop backend\n(REST under /api)', Links: [{ Label: 'Runbook', URL: 'https://runbooks.example/api?x=1&y=${2}' }] },
  TaskGroups: [
    {
      Name: 'web',
      Count: 3,
      Constraints: [{ LTarget: '${meta.rack}', RTarget: 'r[0-9]+', Operand: 'regexp' }],
      Affinities: [{ LTarget: '${attr.platform.aws.instance-type}', RTarget: 'm5.large', Operand: '=', Weight: 50 }],
      Spreads: [{ Attribute: '${meta.zone}', Weight: 50 }],
      Networks: [
        {
          Mode: 'bridge',
          ReservedPorts: [{ Label: 'http', Value: 8080, To: 80, HostNetwork: 'public' }],
          DynamicPorts: [
            { Label: 'metrics', Value: 0 },
            { Label: 'admin', Value: 0, To: 9090 },
          ],
        },
      ],
      Services: [
        {
          Name: 'api',
          PortLabel: 'http',
          Provider: 'consul',
          Tags: ['http', 'urlprefix-/api strip=/api'],
          CanaryTags: ['http', 'urlprefix-/api strip=/api', 'canary'],
          Meta: { drover_env: 'qa', drover_job: 'api' },
          Checks: [
            { Name: 'api-http', Type: 'http', Interval: 5 * S, Timeout: 2 * S, PortLabel: 'http', Path: '/ready?x=${y}', Method: 'GET', Protocol: 'https', TLSSkipVerify: true, CheckRestart: { Limit: 3, Grace: 30 * S, IgnoreWarnings: false } },
            { Name: 'api-tcp', Type: 'tcp', Interval: 10 * S, Timeout: 2 * S, PortLabel: 'admin' },
            { Name: 'api-grpc', Type: 'grpc', Interval: 10 * S, Timeout: 1500 * 1_000_000, GRPCService: 'shop.Api', GRPCUseTLS: true, CheckRestart: { Limit: 1, Grace: 1 * S, IgnoreWarnings: true } },
            { Name: 'api-script', Type: 'script', Interval: 1 * M, Timeout: 5 * S, Command: '/bin/check', Args: ['--deep', '"quoted"'], TaskName: 'api' },
          ],
        },
      ],
      Volumes: {
        certs: { Name: 'certs', Type: 'host', Source: 'ca-certs', ReadOnly: true },
        data: { Name: 'data', Type: 'csi', Source: 'api-data', ReadOnly: false, AccessMode: 'single-node-writer', AttachmentMode: 'file-system', PerAlloc: true },
      },
      Update: { MaxParallel: 1, HealthCheck: 'checks', MinHealthyTime: 15 * S, HealthyDeadline: 3 * M, ProgressDeadline: 8 * M, AutoRevert: true, AutoPromote: false, Canary: 2 },
      RestartPolicy: { Attempts: 2, Interval: 30 * M, Delay: 15 * S, Mode: 'fail' },
      ReschedulePolicy: { Attempts: 0, Interval: 0, Delay: 30 * S, DelayFunction: 'exponential', MaxDelay: 1 * 3600 * S + 30 * M, Unlimited: true },
      EphemeralDisk: { SizeMB: 500 },
      Migrate: { MaxParallel: 1, HealthCheck: 'checks', MinHealthyTime: 10 * S, HealthyDeadline: 5 * M },
      Meta: { 'team.slack': '#shop' },
      ShutdownDelay: 5 * S,
      Scaling: {
        Min: 2,
        Max: 10,
        Enabled: true,
        Policy: {
          cooldown: '1m',
          evaluation_interval: '30s',
          check: [{ avg_cpu: [{ source: 'nomad-apm', query: 'avg_cpu-allocated', strategy: [{ 'target-value': [{ target: 60 }] }] }] }],
        },
      },
      Tasks: [
        {
          Name: 'await-db',
          Driver: 'docker',
          Config: { image: 'busybox:1.36', command: 'sh', args: ['-c', 'until nc -z $(head -n 1 /local/db); do\n  echo "waiting"; sleep 2;\ndone'] },
          Resources: { CPU: 50, MemoryMB: 32 },
          Lifecycle: { Hook: 'prestart', Sidecar: false },
          Templates: [
            { DestPath: 'local/db', EmbeddedTmpl: '{{ range service "db" }}{{ .Address }} {{ .Port }}\n{{ end }}', ChangeMode: 'noop', Envvars: false, ErrMissingKey: false, Perms: '0644' },
          ],
        },
        {
          Name: 'api',
          Driver: 'docker',
          User: 'nobody',
          Config: {
            image: 'ghcr.io/shop/api:1.8.2@sha256:abc',
            ports: ['http', 'admin'],
            labels: { 'com.example.team': 'shop', plain: 'x' },
            mount: [{ type: 'bind', source: '${NOMAD_ALLOC_DIR}/x', target: '/x', readonly: true }],
            logging: { type: 'json-file', config: { 'max-size': '10m' } },
            ulimit: { nofile: '65536:65536' },
            privileged: false,
            cpu_hard_limit: true,
            dns_servers: [],
            shm_size: 67108864,
            cpu_cfs_period: 0.5,
          },
          Env: { PORT: '8080', 'discovery.type': 'single-node', TASK_DIR: '${NOMAD_TASK_DIR}' },
          Resources: { CPU: 500, MemoryMB: 256, MemoryMaxMB: 512 },
          Templates: [
            { DestPath: 'secrets/vault.env', EmbeddedTmpl: '{{ with secret "secret/data/x" }}\nPASSWORD={{ .Data.data.password | toJSON }}\n{{ end }}\n', ChangeMode: 'restart', Envvars: true, ErrMissingKey: true, Perms: '0400' },
            { DestPath: 'local/app.conf', EmbeddedTmpl: TEMPLATE_WITH_EVERYTHING, ChangeMode: 'signal', ChangeSignal: 'SIGHUP', Envvars: false, ErrMissingKey: true, Perms: '0644' },
            { DestPath: 'local/one-line', EmbeddedTmpl: 'no trailing newline ${x}', ChangeMode: 'noop', Envvars: false, ErrMissingKey: false },
          ],
          Vault: { Role: 'drover-api', ChangeMode: 'noop', Env: false },
          Artifacts: [
            { GetterSource: 'https://example.com/app.tar.gz', RelativeDest: 'local/app', GetterMode: 'dir', GetterOptions: { checksum: 'sha256:abc', archive: 'tar.gz' } },
            { GetterSource: 'git::https://example.com/repo.git', RelativeDest: 'local/' },
          ],
          VolumeMounts: [
            { Volume: 'certs', Destination: '/etc/ssl/certs', ReadOnly: true },
            { Volume: 'data', Destination: '/data', ReadOnly: false },
          ],
          KillTimeout: 20 * S,
          KillSignal: 'SIGTERM',
          LogConfig: { MaxFiles: 5, MaxFileSizeMB: 20 },
          Leader: true,
          Meta: { 'drover.task': 'main', version: '1' },
        },
        {
          Name: 'log-shipper',
          Driver: 'docker',
          Config: { image: 'vector:0.40' },
          Resources: { CPU: 100, MemoryMB: 64 },
          Lifecycle: { Hook: 'poststart', Sidecar: true },
        },
      ],
    },
    {
      Name: 'queue',
      Count: 1,
      Networks: [{ DynamicPorts: [{ Label: 'amqp', Value: 0 }] }],
      Scaling: {
        Min: 1,
        Max: 4,
        Enabled: false,
        Policy: {
          cooldown: '2m',
          evaluation_interval: '1m',
          check: [{ prometheus: [{ source: 'prometheus', query: 'sum(rate(http_requests_total{job="api"}[1m])) / 100', strategy: [{ 'target-value': [{ target: 12.5 }] }] }] }],
        },
      },
      Tasks: [{ Name: 'consumer', Driver: 'docker', Config: { image: 'consumer:1', args: ['--queue', 'orders'] }, Resources: { CPU: 200, MemoryMB: 128 } }],
    },
  ],
};

const systemJob: NomadJob = {
  ID: 'node-exporter',
  Name: 'Node exporter (every client)',
  Type: 'system',
  Datacenters: ['*'],
  Update: { MaxParallel: 1, HealthCheck: 'task_states', MinHealthyTime: 0, HealthyDeadline: 5 * M, ProgressDeadline: 10 * M, AutoRevert: true, AutoPromote: false, Canary: 0 },
  TaskGroups: [
    {
      Name: 'exporter',
      Count: 1,
      Networks: [{ ReservedPorts: [{ Label: 'metrics', Value: 9100 }] }],
      RestartPolicy: { Attempts: 10, Interval: 5 * M, Delay: 25 * S, Mode: 'delay' },
      Tasks: [
        { Name: 'exporter', Driver: 'exec', Config: { command: 'local/node_exporter', args: ['--web.listen-address=:${NOMAD_PORT_metrics}'] }, Resources: { CPU: 100, MemoryMB: 64 } },
        { Name: 'textfile', Driver: 'raw_exec', Config: { command: '/usr/local/bin/textfile-collector' }, Resources: { CPU: 20, MemoryMB: 16 } },
      ],
    },
  ],
};

function batchJob(id: string, extra: Partial<NomadJob>): NomadJob {
  return {
    ID: id,
    Name: id,
    Type: 'batch',
    Datacenters: ['dc1'],
    Meta: { 'drover.env': 'prod' },
    ...extra,
    TaskGroups: [
      {
        Name: 'run',
        Count: 1,
        ReschedulePolicy: { Attempts: 1, Interval: 24 * 3600 * S, Delay: 5 * S, DelayFunction: 'constant', Unlimited: false },
        Tasks: [
          {
            Name: 'report',
            Driver: 'java',
            Config: { jar_path: 'local/report.jar', jvm_options: ['-Xmx512m', '-Dfile.encoding=UTF-8'], args: ['--date', '${NOMAD_META_date}'] },
            Resources: { CPU: 1000, MemoryMB: 768 },
            Artifacts: [{ GetterSource: 'https://artifacts.example/report.jar', RelativeDest: 'local/', GetterMode: 'file', GetterOptions: { checksum: 'md5:0123' } }],
          },
        ],
      },
    ],
  };
}

const periodicOneCron = batchJob('db-backup', { Periodic: { Enabled: true, Spec: '0 3 * * *', SpecType: 'cron', ProhibitOverlap: true, TimeZone: 'Europe/Berlin' } });
const periodicCrons = batchJob('reports', {
  Periodic: { Enabled: false, Specs: ['0 6 * * 1-5', '30 12 * * *', '@weekly'], SpecType: 'cron', ProhibitOverlap: false, TimeZone: 'UTC' },
});
const parameterized = batchJob('reindex', { ParameterizedJob: { Payload: 'required', MetaRequired: ['index'], MetaOptional: ['date', 'dry_run'] } });
const parameterizedMinimal = batchJob('dispatch-me', { ParameterizedJob: { Payload: 'forbidden' }, Meta: undefined, Datacenters: undefined });

const cases: [string, NomadJob][] = [
  ['a canary service with every group and task field', serviceJob],
  ['a system job with exec and raw_exec tasks', systemJob],
  ['a periodic batch job with one cron', periodicOneCron],
  ['a periodic batch job with several crons', periodicCrons],
  ['a parameterized batch job', parameterized],
  ['a parameterized batch job with only a payload rule', parameterizedMinimal],
];

describe('renderJobHcl', () => {
  it.each(cases)('round-trips %s through HashiCorp’s HCL parser', async (_, job) => {
    expect(await roundTrip(job)).toEqual(inLabelOrder(job));
  });

  it('round-trips every example job rendered by renderJob for every environment', async () => {
    for (const { file, definition } of await loadExampleJobs()) {
      for (const env of environments.filter((e) => exclusionReason(definition, e.name) === undefined)) {
        const job = renderJob(definition.build(env), aContext(env));
        expect(await roundTrip(job), `${file} in ${env.name}`).toEqual(inLabelOrder(job));
      }
    }
  });

  it('renders the same job to byte-identical text, whatever the order its maps were built in', () => {
    const reordered: NomadJob = structuredClone(serviceJob);
    reordered.Meta = Object.fromEntries(Object.entries(serviceJob.Meta ?? {}).reverse());
    const web = reordered.TaskGroups[0] as NomadTaskGroup;
    web.Volumes = Object.fromEntries(Object.entries(web.Volumes ?? {}).reverse());
    const api = web.Tasks[1];
    if (api) api.Config = Object.fromEntries(Object.entries(api.Config).reverse());

    expect(renderJobHcl(serviceJob)).toBe(renderJobHcl(serviceJob));
    expect(renderJobHcl(reordered)).toBe(renderJobHcl(serviceJob));
  });

  it('keeps the wire order of groups, tasks and ports, which hcl2json cannot show', () => {
    const text = renderJobHcl(serviceJob);
    const at = (needle: string) => {
      const index = text.indexOf(needle);
      expect(index, needle).toBeGreaterThanOrEqual(0);
      return index;
    };
    expect(at('group "web"')).toBeLessThan(at('group "queue"'));
    expect(at('task "await-db"')).toBeLessThan(at('task "api"'));
    expect(at('task "api"')).toBeLessThan(at('task "log-shipper"'));
    expect(at('port "http"')).toBeLessThan(at('port "metrics"'));
    expect(at('port "metrics"')).toBeLessThan(at('port "admin"'));
  });

  it('starts with the generated-file header naming the job definition', () => {
    expect(renderJobHcl(systemJob).split('\n')[0]).toBe('# generated by drover — do not edit; source: jobs/node-exporter.ts');
    expect(renderJobHcl(systemJob, 'jobs/infra/node-exporter.ts').split('\n')[0]).toBe(
      '# generated by drover — do not edit; source: jobs/infra/node-exporter.ts',
    );
  });

  it('writes Nomad names, Go durations and map-attribute meta', () => {
    const text = renderJobHcl(serviceJob);
    expect(text).toContain('  meta        = {\n    "drover.env"       = "qa"\n');
    expect(text).toMatch(/max_delay\s+= "1h30m"\n/);
    expect(text).toMatch(/progress_deadline = "1h30m"\n/);
    expect(text).toMatch(/timeout\s+= "1s500ms"\n/);
    expect(text).toMatch(/memory_max = 512\n/);
    expect(text).toMatch(/max_file_size = 20\n/);
    expect(text).toContain('check "avg_cpu" {\n');
    expect(text).toContain('strategy "target-value" {\n');
    expect(text).toMatch(/port "http" \{\n\s+static\s+= 8080\n\s+to\s+= 80\n\s+host_network = "public"\n/);
    expect(text).toMatch(/port "admin" \{\n\s+to = 9090\n/);
    expect(text).toContain('port "metrics" {}');
    expect(renderJobHcl(periodicCrons)).toMatch(/crons\s+= \["0 6 \* \* 1-5", "30 12 \* \* \*", "@weekly"\]\n/);
    expect(renderJobHcl(periodicOneCron)).toMatch(/cron\s+= "0 3 \* \* \*"\n/);
  });
});

describe('renderJobHcl string escaping', () => {
  const nasty = [
    '${node.class}',
    '%{ if true }x%{ endif }',
    'say "hi"',
    'C:\\path\\ends\\',
    'line1\nline2',
    'line1\nline2\n',
    '$${already-escaped} %%{too}',
    '$$ and 100% and trailing $',
    'tab\tcr\r\nnul\u0001 del\u007f',
    'unicode é ✓ 🚀',
    '',
    'EOT\nEOT1\n',
  ];

  it.each(nasty.map((s) => [JSON.stringify(s), s]))('round-trips %s wherever a string can appear', async (_, value) => {
    const job: NomadJob = {
      ID: 'escape',
      Name: 'escape',
      Type: 'service',
      Meta: { [`k ${value}`]: value },
      Constraints: [{ LTarget: value, RTarget: value, Operand: '=' }],
      Spreads: [{ Attribute: value, Weight: 50, SpreadTarget: [{ Value: `label ${value}`, Percent: 100 }] }],
      UI: { Description: value },
      TaskGroups: [
        {
          Name: `group ${value}`,
          Count: 1,
          Tasks: [
            {
              Name: `task ${value}`,
              Driver: 'docker',
              Config: { image: value, args: [value], labels: { [`l ${value}`]: value }, mount: [{ source: value }] },
              Env: { [`e ${value}`]: value },
              Resources: { CPU: 100, MemoryMB: 64 },
              Templates: [{ DestPath: 'local/x', EmbeddedTmpl: value, ChangeMode: 'noop', Envvars: false, ErrMissingKey: false }],
            },
          ],
        },
      ],
    };
    expect(await roundTrip(job)).toEqual(job);
  });

  it('escapes Nomad runtime references so HCL keeps them as literal text', () => {
    const text = renderJobHcl(serviceJob);
    expect(text).toContain('attribute = "$${attr.kernel.name}"');
    expect(text).toContain('dir=$${NOMAD_TASK_DIR}/conf %%{ if x } 100% $$ $$${kept} %%%{kept}');
    expect(text).not.toMatch(/[^$]\$\{NOMAD_TASK_DIR\}/);
  });

  it('writes multi-line template data as a heredoc whose delimiter does not occur in the text', () => {
    const text = renderJobHcl(serviceJob);
    expect(text).toContain('data                 = <<EOT2\n{{ with secret "secret/data/x" }}\n');
    expect(text).toContain('\n  EOT1 appears too\nEOT2\n');
    // A heredoc always ends in a newline, so text without one stays a quoted string.
    expect(text).toContain('data                 = "no trailing newline $${x}"');
    expect(text).toContain('args    = ["-c", "until nc -z $(head -n 1 /local/db); do\\n  echo \\"waiting\\"; sleep 2;\\ndone"]');
  });
});

describe('HCL facts the renderer relies on', () => {
  it('rejects dotted keys in a meta block, which is why meta is written as a map attribute', async () => {
    await expect(parse('x.hcl', 'job "a" {\n  meta {\n    "drover.env" = "qa"\n  }\n}\n')).rejects.toThrow(/Argument names must not be quoted/);
    await expect(parse('x.hcl', 'job "a" {\n  meta = { "drover.env" = "qa" }\n}\n')).resolves.toEqual({ job: { a: [{ meta: { 'drover.env': 'qa' } }] } });
  });

  it('rejects template sequences in block labels, which is why labels are escaped too', async () => {
    await expect(parse('x.hcl', 'group "a${b}" {}\n')).rejects.toThrow(/Template sequences are not allowed/);
    await expect(parse('x.hcl', 'group "a$${b}" {}\n')).resolves.toEqual({ group: { 'a${b}': [{}] } });
  });

  it('reports an unescaped interpolation instead of mistaking it for text', async () => {
    const parsed = (await parse('x.hcl', 'a = "${node.class}"\nb = "$${node.class}"\nc = "$$${x y}"\n')) as Record<string, string>;
    expect(() => unescapeTemplate(parsed['a'] as string)).toThrow(/would interpolate/);
    expect(unescapeTemplate(parsed['b'] as string)).toBe('${node.class}');
    expect(unescapeTemplate(parsed['c'] as string)).toBe('$${x y}');
  });

  it('refuses wire ports that the HCL static/dynamic split would move', () => {
    const bad = structuredClone(systemJob);
    (bad.TaskGroups[0] as NomadTaskGroup).Networks = [{ DynamicPorts: [{ Label: 'metrics', Value: 9100 }] }];
    expect(() => renderJobHcl(bad)).toThrow(/dynamic port "metrics" has static value 9100/);
  });

  it('refuses service meta keys that an HCL block cannot hold', () => {
    const bad = structuredClone(serviceJob);
    const service = (bad.TaskGroups[0] as NomadTaskGroup).Services?.[0];
    if (service) service.Meta = { 'not.an-identifier': 'x' };
    expect(() => renderJobHcl(bad)).toThrow(/service "api" meta key "not.an-identifier"/);
  });
});
