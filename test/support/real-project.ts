/**
 * A throwaway drover project for the real-server suites: one environment (`real`, addresses
 * replaced per run by NOMAD_ADDR and friends) and the jobs a test writes as typed specs, each a
 * tiny HTTP server run with raw_exec by this machine's `node`. src/ and node_modules/ link back to
 * the repository.
 */
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Environment, EnvironmentInput } from '../../src/config/environment.ts';
import type { JobSpec, TaskSpec } from '../../src/model/index.ts';
import { buildJobs } from '../../src/project/load.ts';
import { loadProject } from '../../src/project/project.ts';
import type { DeployEvent } from '../../src/report/events.ts';
import type { LoadedJob } from '../../src/model/loaded-job.ts';
import { repoRoot, runCli, type CliResult } from './run-cli.ts';

/** A project on disk. */
export interface RealProject {
  readonly dir: string;
  /** Writes `jobs/<spec.id>.ts` exporting exactly `spec` (for every environment). */
  writeJob(spec: JobSpec): Promise<void>;
  cleanup(): Promise<void>;
}

/** The `real` environment's settings besides addresses: one `-dev` node, datacenter dc1. */
export type RealEnvironmentSettings = Partial<Pick<EnvironmentInput, 'promotion' | 'fabio' | 'vault' | 'prometheus'>>;

/** Creates the project with `environments/real.ts` from `settings`. */
export async function realProject(settings: RealEnvironmentSettings = {}): Promise<RealProject> {
  const dir = await mkdtemp(join(tmpdir(), 'drover-real-project-'));
  await cp(join(repoRoot, 'package.json'), join(dir, 'package.json'));
  await symlink(join(repoRoot, 'src'), join(dir, 'src'));
  await symlink(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  // The deployer policy is written by hand, not rendered: the secrets preflight's token holds it.
  await mkdir(join(dir, 'vault-policies'));
  await cp(join(repoRoot, 'vault-policies/drover-deployer.hcl'), join(dir, 'vault-policies/drover-deployer.hcl'));
  await mkdir(join(dir, 'jobs'));
  await mkdir(join(dir, 'environments'));
  // Not one of this repository's environment names (environments/index.ts types those), hence the cast.
  const environment: EnvironmentInput = {
    name: 'real' as EnvironmentInput['name'],
    description: 'A nomad agent -dev started by the test (test/support/real-cluster.ts).',
    // Placeholders: every run points NOMAD_ADDR, CONSUL_HTTP_ADDR and VAULT_ADDR at its servers.
    nomad: { address: 'http://127.0.0.1:1' },
    consul: { address: 'http://127.0.0.1:1' },
    vault: { address: 'http://127.0.0.1:1', ...settings.vault },
    fabio: { domain: 'localhost', ...settings.fabio },
    ...(settings.prometheus ? { prometheus: settings.prometheus } : {}),
    datacenters: ['dc1'],
    promotion: { canary: 'manual', confirm: false, prune: false, ...settings.promotion },
  };
  await writeFile(join(dir, 'environments/real.ts'), `import { defineEnvironment } from '../src/index.ts';\n\nexport default defineEnvironment(${JSON.stringify(environment, null, 2)});\n`);
  return {
    dir,
    writeJob: (spec) => writeFile(join(dir, `jobs/${spec.id}.ts`), `import { defineJob } from '../src/index.ts';\n\nexport default defineJob(() => (${JSON.stringify(spec, null, 2)}));\n`),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The project's `real` environment and its jobs built for it, as drover loads them. */
export async function loadRealProject(project: Pick<RealProject, 'dir'>): Promise<{ env: Environment; jobs: LoadedJob[] }> {
  const loaded = await loadProject({ root: project.dir });
  const env = loaded.environments.find((e) => String(e.value.name) === 'real')?.value;
  if (!env) throw new Error(`no environments/real.ts in ${project.dir}`);
  return { env, jobs: buildJobs(loaded.jobs, env).jobs };
}

/** Where a run of drover talks to: the real servers' addresses (and a Vault token when needed). */
export interface RealTargets {
  readonly nomad: string;
  readonly consul: string;
  readonly vault?: string;
  readonly vaultToken?: string;
  readonly fabio?: string;
  readonly prometheus?: string;
}

/**
 * Runs the CLI in-process from `project` against real servers, as CI would, collecting events
 * (`--output ndjson` is added unless `ndjson: false`, for commands without it).
 */
export async function runDrover(project: Pick<RealProject, 'dir'>, targets: RealTargets, argv: readonly string[], options: { readonly ndjson?: boolean } = {}): Promise<CliResult & { events: DeployEvent[] }> {
  const env: Record<string, string> = {
    NO_COLOR: '1',
    CI: 'true',
    NOMAD_ADDR: targets.nomad,
    CONSUL_HTTP_ADDR: targets.consul,
    VAULT_ADDR: targets.vault ?? 'http://127.0.0.1:1',
    ...(targets.vaultToken ? { VAULT_TOKEN: targets.vaultToken } : {}),
    ...(targets.fabio ? { DROVER_FABIO_ADDR: targets.fabio } : {}),
    ...(targets.prometheus ? { DROVER_PROMETHEUS_ADDR: targets.prometheus } : {}),
  };
  const result = await runCli(options.ndjson === false ? argv : [...argv, '--output', 'ndjson'], { cwd: project.dir, env });
  const events = result.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as DeployEvent);
  return { ...result, events };
}

/**
 * An HTTP server for `node -e`: answers `<name> <version> <path>` on every path (so a test can
 * count answers per instance; 200 on `/ready` and `/healthz` too) but `/digest/<VAR>`, on Nomad's
 * `NOMAD_IP_http:NOMAD_PORT_http`; drains on SIGTERM.
 */
export const TINY_SERVER = [
  "const http = require('node:http'), { createHash } = require('node:crypto');",
  "const name = process.env.NOMAD_ALLOC_ID.slice(0, 8), version = process.env.VERSION || '?';",
  // `/digest/<VAR>`: the SHA-256 of an environment variable (a secret from Vault), never its value.
  "const digest = (v) => (v === undefined ? 'unset' : createHash('sha256').update(v).digest('hex'));",
  "const answer = (url) => (url.startsWith('/digest/') ? digest(process.env[url.slice(8)]) : name + ' ' + version + ' ' + url);",
  "const server = http.createServer((req, res) => res.end(answer(req.url)));",
  "server.listen(Number(process.env.NOMAD_PORT_http), process.env.NOMAD_IP_http || '127.0.0.1');",
  "process.on('SIGTERM', () => server.close(() => process.exit(0)));",
].join('\n');

/** Options of {@link tinyServiceJob}. */
export interface TinyServiceOptions {
  readonly id: string;
  /** Changing it makes a new job version; the server answers it. */
  readonly version: string;
  /** @default 2 */
  readonly count?: number;
  /** The program raw_exec runs. @default this process's node */
  readonly command?: string;
  /** Canary update with this many canaries; rolling without. */
  readonly canaries?: number;
  /** Fabio route of the service. @default `/<id>` with strip */
  readonly route?: string;
  /** The update's progress deadline (healthy deadline 2 s less). @default "40s" */
  readonly progressDeadline?: `${number}s`;
  /** @default true */
  readonly autoRevert?: boolean;
  /** Vault KV v2 values the task gets as environment variables (drover renders the template). */
  readonly secrets?: TaskSpec['secrets'];
}

/**
 * A service job running {@link TINY_SERVER}: one group, an HTTP readiness check every second,
 * short health times so a deployment settles in seconds, auto_revert on.
 */
export function tinyServiceJob(options: TinyServiceOptions): JobSpec {
  const route = options.route ?? `/${options.id}`;
  const progressDeadline = options.progressDeadline ?? '40s';
  const healthyDeadline = `${Math.min(20, Number.parseInt(progressDeadline, 10) - 2)}s` as const;
  const update = { maxParallel: 1, minHealthyTime: '1s', healthyDeadline, progressDeadline, autoRevert: options.autoRevert ?? true } as const;
  return {
    id: options.id,
    kind: 'service',
    description: 'A tiny node HTTP server (test/support/real-project.ts).',
    update: options.canaries ? { strategy: 'canary', canaries: options.canaries, ...update } : { strategy: 'rolling', ...update },
    groups: [
      {
        name: options.id,
        count: options.count ?? 2,
        ports: { http: {} },
        shutdownDelay: '1s',
        // One attempt, no delay: a broken version fails its allocation at once.
        restart: { attempts: 0, interval: '1m', delay: '1s', mode: 'fail' },
        services: [
          {
            name: options.id,
            port: 'http',
            tags: ['http'],
            routes: [{ path: route, strip: route }],
            checks: [{ type: 'http', name: `${options.id}-ready`, path: '/ready', interval: '2s', timeout: '1s' }],
          },
        ],
        tasks: [
          {
            name: options.id,
            driver: 'raw_exec',
            command: options.command ?? process.execPath,
            args: ['-e', TINY_SERVER],
            env: { VERSION: options.version },
            ...(options.secrets ? { secrets: options.secrets } : {}),
            resources: { cpu: 50, memoryMb: 96 },
            killTimeout: '2s',
          },
        ],
      },
    ],
  };
}
