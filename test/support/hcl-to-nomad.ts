/**
 * The inverse of `renderJobHcl`, written independently of it for the round-trip tests: takes what
 * `@cdktf/hcl2json` (HashiCorp's HCL parser compiled to WebAssembly) makes of a jobspec and maps
 * it back into a wire `NomadJob` the way Nomad's jobspec2 parser would (HCL names → JSON names,
 * Go duration strings → nanoseconds, labeled blocks → arrays/maps, `port` blocks split into
 * ReservedPorts/DynamicPorts by `static`).
 *
 * What hcl2json returns, found by experiment:
 * - an unlabeled block is a list of bodies: `update { … }` → `update: [{ … }]`;
 * - a labeled block is an object keyed by label: `group "web" { … }` → `group: { web: [{ … }] }`.
 *   Go's encoding/json sorts those keys, so the ORDER of labeled blocks (groups, tasks, ports,
 *   spread targets, policy checks) is lost; they come back sorted by label;
 * - strings and quoted object keys keep HCL's template escapes (`"$${x}"` → `"$${x}"`, the JSON
 *   syntax for the literal `${x}`); an unescaped `${…}` would be an interpolation HCL evaluates.
 *   Block labels are not templates and come back literal.
 *
 * Every body is read strictly: a key the mapper does not know fails, so a misspelt HCL name in the
 * renderer cannot hide behind an optional field.
 */
import type {
  NomadArtifact, NomadJob, NomadNetwork, NomadPort, NomadService, NomadServiceCheck, NomadSpread, NomadTask,
  NomadTaskGroup, NomadTemplate, NomadUpdateStrategy, NomadVolumeRequest,
} from '../../src/wire/nomad-job.ts';

type Body = Record<string, unknown>;

/** Maps hcl2json output for a file holding one `job` block back into the wire job. */
export function hclToNomadJob(parsed: unknown): NomadJob {
  const root = new BodyReader(asBody(parsed, 'file'), 'file');
  const jobs = root.eachLabeled('job', jobFromHcl);
  root.done();
  if (jobs.length !== 1 || !jobs[0]) throw new Error(`expected one job block, found ${jobs.length}`);
  return jobs[0];
}

function jobFromHcl(id: string, job: BodyReader): NomadJob {
  return {
    ID: id,
    Name: job.string('name') ?? id,
    Type: job.requiredString('type') as NomadJob['Type'],
    Region: job.string('region'),
    Namespace: job.string('namespace'),
    NodePool: job.string('node_pool'),
    Datacenters: job.strings('datacenters'),
    Priority: job.number('priority'),
    Meta: job.stringMap('meta'),
    UI: job.optional('ui', (ui) => ({
      Description: ui.string('description'),
      Links: nonEmpty(ui.each('link', (l) => ({ Label: l.requiredString('label'), URL: l.requiredString('url') }))),
    })),
    ...placement(job),
    Update: job.optional('update', update),
    Periodic: job.optional('periodic', (p) => ({
      Enabled: p.boolean('enabled') ?? true,
      Spec: p.string('cron'),
      Specs: p.strings('crons'),
      SpecType: 'cron' as const,
      ProhibitOverlap: p.boolean('prohibit_overlap') ?? false,
      TimeZone: p.string('time_zone') ?? 'UTC',
    })),
    ParameterizedJob: job.optional('parameterized', (p) => ({
      Payload: p.string('payload') ?? 'optional',
      MetaRequired: p.strings('meta_required'),
      MetaOptional: p.strings('meta_optional'),
    })),
    TaskGroups: job.eachLabeled('group', group),
  };
}

function group(name: string, g: BodyReader): NomadTaskGroup {
  const volumes = g.eachLabeled('volume', (volumeName, v): [string, NomadVolumeRequest] => [volumeName, volume(volumeName, v)]);
  return {
    Name: name,
    Count: g.number('count') ?? 1,
    ShutdownDelay: g.duration('shutdown_delay'),
    Meta: g.stringMap('meta'),
    ...placement(g),
    Networks: nonEmpty(g.each('network', network)),
    Services: nonEmpty(g.each('service', service)),
    Volumes: volumes.length ? Object.fromEntries(volumes) : undefined,
    Update: g.optional('update', update),
    RestartPolicy: g.optional('restart', (r) => ({
      Attempts: r.requiredNumber('attempts'),
      Interval: r.requiredDuration('interval'),
      Delay: r.requiredDuration('delay'),
      Mode: r.requiredString('mode'),
    })),
    ReschedulePolicy: g.optional('reschedule', (r) => ({
      Attempts: r.number('attempts'),
      Interval: r.duration('interval'),
      Delay: r.requiredDuration('delay'),
      DelayFunction: r.string('delay_function'),
      MaxDelay: r.duration('max_delay'),
      Unlimited: r.boolean('unlimited'),
    })),
    Migrate: g.optional('migrate', (m) => ({
      MaxParallel: m.requiredNumber('max_parallel'),
      HealthCheck: m.requiredString('health_check'),
      MinHealthyTime: m.requiredDuration('min_healthy_time'),
      HealthyDeadline: m.requiredDuration('healthy_deadline'),
    })),
    Scaling: g.optional('scaling', (s) => ({
      Min: s.requiredNumber('min'),
      Max: s.requiredNumber('max'),
      Enabled: s.boolean('enabled') ?? true,
      Policy: s.optional('policy', (p) => freeform(p.rest())),
    })),
    EphemeralDisk: g.optional('ephemeral_disk', (d) => ({ SizeMB: d.requiredNumber('size') })),
    Tasks: g.eachLabeled('task', task),
  };
}

function placement(r: BodyReader): Pick<NomadJob, 'Constraints' | 'Affinities' | 'Spreads'> {
  return {
    Constraints: nonEmpty(
      r.each('constraint', (c) => ({ LTarget: c.string('attribute'), RTarget: c.string('value'), Operand: c.string('operator') ?? '=' })),
    ),
    Affinities: nonEmpty(
      r.each('affinity', (a) => ({
        LTarget: a.requiredString('attribute'),
        RTarget: a.requiredString('value'),
        Operand: a.string('operator') ?? '=',
        Weight: a.number('weight') ?? 50,
      })),
    ),
    Spreads: nonEmpty(
      r.each('spread', (s): NomadSpread => ({
        Attribute: s.requiredString('attribute'),
        Weight: s.number('weight') ?? 50,
        SpreadTarget: nonEmpty(s.eachLabeled('target', (Value, t) => ({ Value, Percent: t.requiredNumber('percent') }))),
      })),
    ),
  };
}

function update(u: BodyReader): NomadUpdateStrategy {
  return {
    MaxParallel: u.number('max_parallel'),
    HealthCheck: u.string('health_check'),
    MinHealthyTime: u.duration('min_healthy_time'),
    HealthyDeadline: u.duration('healthy_deadline'),
    ProgressDeadline: u.duration('progress_deadline'),
    AutoRevert: u.boolean('auto_revert'),
    AutoPromote: u.boolean('auto_promote'),
    Canary: u.number('canary'),
  };
}

/** jobspec2's normalizeNetworkPorts: `static > 0` makes a port reserved. */
function network(n: BodyReader): NomadNetwork {
  const ports = n.eachLabeled('port', (label, p): NomadPort => ({
    Label: label,
    Value: p.number('static') ?? 0,
    To: p.number('to'),
    HostNetwork: p.string('host_network'),
  }));
  return {
    Mode: n.string('mode'),
    ReservedPorts: nonEmpty(ports.filter((p) => p.Value > 0)),
    DynamicPorts: nonEmpty(ports.filter((p) => p.Value === 0)),
  };
}

function volume(name: string, v: BodyReader): NomadVolumeRequest {
  return {
    Name: name,
    Type: v.requiredString('type') as NomadVolumeRequest['Type'],
    Source: v.requiredString('source'),
    ReadOnly: v.boolean('read_only') ?? false,
    AccessMode: v.string('access_mode'),
    AttachmentMode: v.string('attachment_mode'),
    PerAlloc: v.boolean('per_alloc'),
  };
}

function service(s: BodyReader): NomadService {
  return {
    Name: s.requiredString('name'),
    PortLabel: s.requiredString('port'),
    Provider: (s.string('provider') ?? 'consul') as NomadService['Provider'],
    Tags: s.strings('tags'),
    CanaryTags: s.strings('canary_tags'),
    Meta: s.optional('meta', (m) => stringRecord(m.rest(), 'service meta')),
    Checks: nonEmpty(s.each('check', check)),
  };
}

function check(c: BodyReader): NomadServiceCheck {
  return {
    Name: c.requiredString('name'),
    Type: c.requiredString('type') as NomadServiceCheck['Type'],
    PortLabel: c.string('port'),
    Path: c.string('path'),
    Method: c.string('method'),
    Protocol: c.string('protocol'),
    TLSSkipVerify: c.boolean('tls_skip_verify'),
    GRPCService: c.string('grpc_service'),
    GRPCUseTLS: c.boolean('grpc_use_tls'),
    Command: c.string('command'),
    Args: c.strings('args'),
    TaskName: c.string('task'),
    Interval: c.requiredDuration('interval'),
    Timeout: c.requiredDuration('timeout'),
    CheckRestart: c.optional('check_restart', (r) => ({
      Limit: r.requiredNumber('limit'),
      Grace: r.requiredDuration('grace'),
      IgnoreWarnings: r.boolean('ignore_warnings') ?? false,
    })),
  };
}

function task(name: string, t: BodyReader): NomadTask {
  return {
    Name: name,
    Driver: t.requiredString('driver'),
    User: t.string('user'),
    Leader: t.boolean('leader'),
    KillTimeout: t.duration('kill_timeout'),
    KillSignal: t.string('kill_signal'),
    Env: t.stringMap('env'),
    Meta: t.stringMap('meta'),
    Config: t.requiredBlock('config', (c) => freeform(c.rest())),
    Lifecycle: t.optional('lifecycle', (l) => ({ Hook: l.requiredString('hook'), Sidecar: l.boolean('sidecar') ?? false })),
    Resources: t.requiredBlock('resources', (r) => ({ CPU: r.requiredNumber('cpu'), MemoryMB: r.requiredNumber('memory'), MemoryMaxMB: r.number('memory_max') })),
    VolumeMounts: nonEmpty(
      t.each('volume_mount', (m) => ({ Volume: m.requiredString('volume'), Destination: m.requiredString('destination'), ReadOnly: m.boolean('read_only') ?? false })),
    ),
    Artifacts: nonEmpty(t.each('artifact', artifact)),
    Vault: t.optional('vault', (v) => ({ Role: v.requiredString('role'), ChangeMode: v.string('change_mode') ?? 'restart', Env: v.boolean('env') ?? true })),
    Consul: t.optional('consul', (c) => ({ Cluster: c.string('cluster') ?? 'default' })),
    Templates: nonEmpty(t.each('template', template)),
    LogConfig: t.optional('logs', (l) => ({ MaxFiles: l.requiredNumber('max_files'), MaxFileSizeMB: l.requiredNumber('max_file_size') })),
  };
}

function template(t: BodyReader): NomadTemplate {
  return {
    DestPath: t.requiredString('destination'),
    EmbeddedTmpl: t.requiredString('data'),
    ChangeMode: t.string('change_mode') ?? 'restart',
    ChangeSignal: t.string('change_signal'),
    Perms: t.string('perms'),
    Envvars: t.boolean('env') ?? false,
    ErrMissingKey: t.boolean('error_on_missing_key') ?? false,
  };
}

function artifact(a: BodyReader): NomadArtifact {
  return {
    GetterSource: a.requiredString('source'),
    RelativeDest: a.string('destination') ?? 'local/',
    GetterMode: a.string('mode'),
    GetterOptions: a.optional('options', (o) => stringRecord(o.rest(), 'artifact options')),
  };
}

/**
 * A schemaless body (driver config, scaling policy): `[{…}]` lists are block bodies (or lists of
 * objects, the same value to Nomad), an object whose every value is a list of bodies is a set of
 * labeled blocks and becomes `[{ label: [body] }, …]`, anything else is a literal.
 */
function freeform(body: Body): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).map(([key, value]) => [key, freeformValue(value)]));
}

function freeformValue(value: unknown): unknown {
  if (typeof value === 'string') return unescapeTemplate(value);
  if (Array.isArray(value)) return value.map((v) => (isBody(v) ? freeform(v) : freeformValue(v)));
  if (!isBody(value)) return value;
  const entries = Object.entries(value);
  const labeled = entries.length > 0 && entries.every(([, v]) => Array.isArray(v) && v.length > 0 && v.every(isBody));
  if (labeled) return entries.flatMap(([label, bodies]) => (bodies as Body[]).map((b) => ({ [label]: [freeform(b)] })));
  return Object.fromEntries(entries.map(([k, v]) => [unescapeTemplate(k), freeformValue(v)]));
}

/** Reads one body; every key must be consumed before `done()`. */
class BodyReader {
  private readonly used = new Set<string>();
  constructor(
    private readonly body: Body,
    private readonly where: string,
  ) {}

  string(key: string): string | undefined {
    const value = this.take(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new Error(`${this.where}.${key}: expected a string, got ${JSON.stringify(value)}`);
    return unescapeTemplate(value);
  }
  requiredString(key: string): string {
    return this.required(key, this.string(key));
  }
  number(key: string): number | undefined {
    const value = this.take(key);
    if (value !== undefined && typeof value !== 'number') throw new Error(`${this.where}.${key}: expected a number, got ${JSON.stringify(value)}`);
    return value;
  }
  requiredNumber(key: string): number {
    return this.required(key, this.number(key));
  }
  boolean(key: string): boolean | undefined {
    const value = this.take(key);
    if (value !== undefined && typeof value !== 'boolean') throw new Error(`${this.where}.${key}: expected a bool, got ${JSON.stringify(value)}`);
    return value;
  }
  strings(key: string): string[] | undefined {
    const value = this.take(key);
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new Error(`${this.where}.${key}: expected a list of strings`);
    return value.map(unescapeTemplate);
  }
  duration(key: string): number | undefined {
    const text = this.string(key);
    return text === undefined ? undefined : parseGoDuration(text, `${this.where}.${key}`);
  }
  requiredDuration(key: string): number {
    return this.required(key, this.duration(key));
  }
  /** `meta = { … }` / `env = { … }` map arguments. */
  stringMap(key: string): Record<string, string> | undefined {
    const value = this.take(key);
    return value === undefined ? undefined : stringRecord(asBody(value, `${this.where}.${key}`), `${this.where}.${key}`);
  }
  /** Each unlabeled `key` block, read by `read`, which must consume all of its keys. */
  each<T>(key: string, read: (reader: BodyReader) => T): T[] {
    return this.blocks(key).map((reader) => finish(reader, read(reader)));
  }
  /** Each labeled `key` block, in hcl2json's (label-sorted) order. */
  eachLabeled<T>(key: string, read: (label: string, reader: BodyReader) => T): T[] {
    return this.labeled(key).map(([label, reader]) => finish(reader, read(label, reader)));
  }
  private blocks(key: string): BodyReader[] {
    const value = this.take(key);
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw new Error(`${this.where}.${key}: expected blocks, got ${JSON.stringify(value)}`);
    return value.map((b, i) => new BodyReader(asBody(b, `${this.where}.${key}[${i}]`), `${this.where}.${key}`));
  }
  /** At most one block, read by `read`, which must consume all of its keys. */
  optional<T>(key: string, read: (reader: BodyReader) => T): T | undefined {
    const found = this.blocks(key);
    if (found.length > 1) throw new Error(`${this.where}: more than one ${key} block`);
    if (!found[0]) return undefined;
    return finish(found[0], read(found[0]));
  }
  requiredBlock<T>(key: string, read: (reader: BodyReader) => T): T {
    return this.required(key, this.optional(key, read));
  }
  private labeled(key: string): [string, BodyReader][] {
    const value = this.take(key);
    if (value === undefined) return [];
    return Object.entries(asBody(value, `${this.where}.${key}`)).flatMap(([label, bodies]) => {
      if (!Array.isArray(bodies)) throw new Error(`${this.where}.${key} "${label}": expected blocks`);
      return bodies.map((b): [string, BodyReader] => [label, new BodyReader(asBody(b, `${this.where}.${key}`), `${this.where}.${key}.${label}`)]);
    });
  }
  /** Every key not read yet (schemaless bodies). */
  rest(): Body {
    const keys = Object.keys(this.body).filter((k) => !this.used.has(k));
    keys.forEach((k) => this.used.add(k));
    return Object.fromEntries(keys.map((k) => [k, this.body[k]]));
  }
  done(): void {
    const unknown = Object.keys(this.body).filter((k) => !this.used.has(k));
    if (unknown.length) throw new Error(`${this.where}: unexpected HCL keys ${unknown.join(', ')}`);
  }

  private take(key: string): unknown {
    this.used.add(key);
    return this.body[key];
  }
  private required<T>(key: string, value: T | undefined): T {
    if (value === undefined) throw new Error(`${this.where}: missing ${key}`);
    return value;
  }
}

/**
 * The literal text of an hcl2json string: `$${` → `${`, `%%{` → `%{`, left to right as HCL's
 * scanner reads them. An unescaped `${` or `%{` means HCL would have evaluated something.
 */
export function unescapeTemplate(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const here = text.slice(i, i + 3);
    if (here === '$${' || here === '%%{') {
      out += here.slice(1);
      i += 2;
    } else if ((text[i] === '$' || text[i] === '%') && text[i + 1] === '{') {
      throw new Error(`HCL would interpolate ${JSON.stringify(text)} (unescaped ${text.slice(i, i + 2)} at ${i})`);
    } else {
      out += text[i];
    }
  }
  return out;
}

const DURATION_UNITS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Go's time.ParseDuration for the unsigned forms Nomad jobs use ("1h30m", "250ms", "0s"). */
export function parseGoDuration(text: string, where: string): number {
  if (text === '0') return 0;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) throw new Error(`${where}: ${JSON.stringify(text)} is not a Go duration`);
  return Math.round(parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * (DURATION_UNITS[unit as string] as number), 0));
}

function stringRecord(body: Body, where: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(body).map(([k, v]) => {
      if (typeof v !== 'string') throw new Error(`${where}.${k}: expected a string, got ${JSON.stringify(v)}`);
      return [unescapeTemplate(k), unescapeTemplate(v)];
    }),
  );
}

function finish<T>(reader: BodyReader, value: T): T {
  reader.done();
  return value;
}

function asBody(value: unknown, where: string): Body {
  if (!isBody(value)) throw new Error(`${where}: expected an object, got ${JSON.stringify(value)}`);
  return value;
}

function isBody(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length ? list : undefined;
}
