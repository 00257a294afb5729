import { type SandboxOptions, startSandbox } from '../../src/sandbox/server.ts';

/** A response read completely. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** Parsed JSON (unix-nano integers lose precision here; assert those on `text`). */
  readonly json: any;
}

/** A running sandbox driven only over HTTP on 127.0.0.1. */
export interface Harness {
  readonly nomad: string;
  readonly consul: string;
  readonly vault: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
  get(path: string): Promise<Answer>;
  /** Advances the sandbox clock through the admin API. */
  advance(ms: number): Promise<void>;
  scenario(jobId: string, scenario: Record<string, unknown>, extra?: { version?: number; namespace?: string }): Promise<void>;
  fault(rule: Record<string, unknown>): Promise<string>;
  register(job: Json, extra?: Json): Promise<Answer>;
  close(): Promise<void>;
}

export type Json = Record<string, any>;

/** Starts a sandbox with a manual clock (time moves only when the test advances it). */
export async function startHarness(options: SandboxOptions = {}): Promise<Harness> {
  const sandbox = await startSandbox({ clockSpeed: 0, ...options });
  const { nomad, consul, vault } = sandbox.addresses;
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> =>
    request(path.startsWith('http') ? path : `${nomad}${path}`, method, body, headers);
  const expectOk = async (answer: Promise<Answer>): Promise<Answer> => {
    const a = await answer;
    if (a.status !== 200) throw new Error(`admin call failed: ${a.status} ${a.text}`);
    return a;
  };
  return {
    nomad, consul, vault, call,
    get: (path) => call('GET', path),
    advance: async (ms) => void (await expectOk(call('POST', '/_sandbox/clock/advance', { ms }))),
    scenario: async (jobId, scenario, extra = {}) => void (await expectOk(call('POST', '/_sandbox/scenarios', { jobId, scenario, ...extra }))),
    fault: async (rule) => (await expectOk(call('POST', '/_sandbox/faults', rule))).json.id,
    register: (job, extra = {}) => call('POST', '/v1/jobs', { Job: job, ...extra }),
    close: () => sandbox.close(),
  };
}

/** One HTTP request, answer read completely. */
export async function request(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const init: RequestInit = { method, headers };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(url, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Options of {@link aJob}. */
export interface JobOptions {
  readonly id?: string;
  readonly type?: 'service' | 'batch' | 'system';
  readonly count?: number;
  readonly image?: string;
  readonly update?: Json | null;
  readonly checks?: boolean;
  readonly memoryMB?: number;
}

const S = 1e9;

/** A small service job as drover renders it (durations in ns, PascalCase). */
export function aJob(options: JobOptions = {}): Json {
  const id = options.id ?? 'web';
  const service = {
    Name: id, PortLabel: 'http', Provider: 'consul', Tags: ['v1', 'urlprefix-/web'], CanaryTags: ['canary'],
    Checks: options.checks === false ? undefined : [{ Name: `${id}-ready`, Type: 'http', Path: '/ready', Interval: 5 * S, Timeout: 2 * S }],
  };
  const group: Json = {
    Name: 'web', Count: options.count ?? 2,
    Networks: [{ DynamicPorts: [{ Label: 'http', To: 8080 }] }],
    Services: [service],
    Tasks: [{ Name: 'web', Driver: 'docker', Config: { image: options.image ?? 'example/web:1.0.0' }, Resources: { CPU: 100, MemoryMB: options.memoryMB ?? 128 } }],
  };
  if (options.update !== null) {
    group.Update = { MaxParallel: 1, MinHealthyTime: 10 * S, HealthyDeadline: 60 * S, ProgressDeadline: 120 * S, AutoRevert: false, Canary: 0, ...options.update };
  }
  if (options.type === 'batch' || options.type === 'system') delete group.Services;
  return { ID: id, Name: id, Type: options.type ?? 'service', Datacenters: ['dc1'], TaskGroups: [group] };
}

/** Seconds → ms of sandbox time. */
export const seconds = (n: number): number => n * 1000;

/** Allocation stubs of a job. */
export async function allocs(h: Harness, jobId: string): Promise<Json[]> {
  return (await h.get(`/v1/job/${jobId}/allocations`)).json as Json[];
}

/** The job's latest deployment. */
export async function deployment(h: Harness, jobId: string): Promise<Json> {
  return (await h.get(`/v1/job/${jobId}/deployment`)).json as Json;
}

/** Live (desired run, not terminal) allocations. */
export function live(list: readonly Json[]): Json[] {
  return list.filter((a) => a.DesiredStatus === 'run' && (a.ClientStatus === 'running' || a.ClientStatus === 'pending'));
}

/** Every task event Type of an allocation's first task. */
export function eventTypes(alloc: Json): string[] {
  const state = Object.values(alloc.TaskStates ?? {})[0] as Json | undefined;
  return (state?.Events ?? []).map((e: Json) => e.Type);
}
