import type { Environment } from '../config/environment.ts';
import { DroverError, ExitCode } from '../errors.ts';
import { releaseChainOf } from '../config/promotion-chain.ts';
import { exclusionReason, type JobDefinition } from '../model/define-job.ts';
import type { JobSpec } from '../model/job.ts';
import { sortKeys } from '../render/canonical-json.ts';
import { META, type RenderContext } from '../render/context.ts';
import { renderJob, specHash } from '../render/job.ts';
import type { NomadJob } from '../wire/nomad-job.ts';
import { parseImageReference, type ReleaseImage } from './release-image.ts';

/**
 * What makes a job "the same release" in two environments.
 *
 * Choice: mask the fields that vary BY ENVIRONMENT, as the project's own definitions declare them,
 * instead of a fixed list of environment fields. Each job is rendered for every environment of
 * the project; every JSON path whose value differs between those renders is environment-specific
 * (counts and resources from `env.pick`, tags and hosts from `env.name` / `fabio.domain`,
 * datacenters, spreads, `AutoPromote`, but equally a worker's `--concurrency` or a backup
 * schedule). Those paths are replaced by a placeholder and the rest is hashed. A fixed list could
 * never promote the example `worker` or `db-backup` jobs, whose args and schedule are picked per
 * environment on purpose.
 *
 * What this guarantees: with the same definitions, QA's and prod's hashes are equal; any change
 * to an environment-independent field (an env var, a check, a template, ports), or a field
 * starting or ceasing to vary by environment, changes the hash. Images are also compared on
 * their own (`images`), so even an image picked per environment (inside a masked path) cannot slip
 * through. Per-release meta (`drover.git_sha`, `drover.release`) and `drover.spec_hash` (which
 * hashes environment values) are dropped first.
 */
export interface JobFingerprint {
  readonly id: string;
  /** sha256 (16 hex digits) of the rendered job with environment-specific paths masked. */
  readonly envFreeHash: string;
  /** The masked paths, e.g. `TaskGroups[0].Count`: what may differ between environments. */
  readonly maskedPaths: readonly string[];
  /** Images of every task, in task order (prestart helpers included). */
  readonly images: readonly ReleaseImage[];
}

const MASK = '<varies by environment>';
const DROPPED_META: readonly string[] = [META.gitSha, META.release, META.specHash];

/** A location inside a rendered job: object keys and array indexes. */
export type JsonPath = readonly (string | number)[];

/** Paths whose values differ between `renders` (the same job rendered for each environment). */
export function envVaryingPaths(renders: readonly unknown[]): JsonPath[] {
  const paths: JsonPath[] = [];
  collect(renders.map((r) => sortKeys(stripVolatile(r))), [], paths);
  return paths;
}

function collect(values: readonly unknown[], path: JsonPath, out: JsonPath[]): void {
  const first = JSON.stringify(values[0]);
  if (values.every((v) => JSON.stringify(v) === first)) return;
  if (values.every(isPlainObject)) {
    const keys = [...new Set(values.flatMap((v) => Object.keys(v)))].sort();
    for (const key of keys) collect(values.map((v) => (v as Record<string, unknown>)[key]), [...path, key], out);
    return;
  }
  const length = Array.isArray(values[0]) ? values[0].length : -1;
  if (values.every((v) => Array.isArray(v) && v.length === length)) {
    for (let i = 0; i < length; i++) collect(values.map((v) => (v as unknown[])[i]), [...path, i], out);
    return;
  }
  // Different types or array lengths: the whole value is environment-specific.
  out.push(path);
}

/** `TaskGroups[0].Services[0].Tags[1]`, `Meta["drover.env"]`: readable in records and messages. */
export function formatPath(path: JsonPath): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : /^[A-Za-z_][\w-]*$/.test(key) ? `${i ? '.' : ''}${key}` : `[${JSON.stringify(key)}]`))
    .join('');
}

/** `job` with the volatile meta dropped and each of `paths` replaced by a placeholder. */
export function maskJob(job: NomadJob, paths: readonly JsonPath[]): unknown {
  const copy = sortKeys(stripVolatile(job)) as Record<string, unknown>;
  for (const path of paths) setPath(copy, path);
  return copy;
}

/** The environment-free hash of `target`, masking the paths that vary across `renders` (which include `target`). */
export function envFreeHash(target: NomadJob, renders: readonly NomadJob[]): { hash: string; maskedPaths: string[] } {
  const paths = envVaryingPaths(renders);
  return { hash: specHash(maskJob(target, paths)), maskedPaths: paths.map(formatPath) };
}

/** Every task image of a rendered job (docker tasks only; others have no image). */
export function jobImages(job: NomadJob): ReleaseImage[] {
  return (job.TaskGroups ?? []).flatMap((group) =>
    (group.Tasks ?? []).flatMap((task) => {
      const image = (task.Config as { image?: unknown } | undefined)?.image;
      return typeof image === 'string' ? [parseImageReference(image)] : [];
    }),
  );
}

/** Inputs of `fingerprintJobs`: the whole project, so the masking can compare environments. */
export interface FingerprintInput {
  /** Every job definition of the project (`project.jobs`). */
  readonly definitions: readonly { readonly value: JobDefinition; readonly file?: string }[];
  /** Every environment of the project: the ones the masking compares. */
  readonly environments: readonly Environment[];
  /** Environment being deployed; must be one of `environments`. */
  readonly target: Environment;
  /** The rest of the render context (project, git SHA, release, image pins). */
  readonly context: Omit<RenderContext, 'env'>;
  /**
   * The target's jobs as the deploy already rendered them with this context, by job ID: used
   * instead of rendering them again (only the other environments of the chain are rendered).
   */
  readonly rendered?: ReadonlyMap<string, NomadJob>;
  /** The renderer. @default renderJob (tests count renders through it) */
  readonly render?: (spec: JobSpec, ctx: RenderContext) => NomadJob;
}

/**
 * Fingerprints every job as rendered for `target`, by job ID. Pure: builds and renders each job
 * for each environment of the target's release chain (qa and prod; not a standalone dev cluster,
 * whose raw_exec variants would otherwise mask the very fields a release must keep), skipping
 * the jobs and environments a definition excludes. A job that does not build for some
 * environment cannot be fingerprinted: that is a validation error (65) naming the file and the
 * environment.
 */
export function fingerprintJobs(input: FingerprintInput): Map<string, JobFingerprint & { readonly job: NomadJob }> {
  const result = new Map<string, JobFingerprint & { readonly job: NomadJob }>();
  const chain = releaseChainOf(input.environments, input.target.name);
  const others = input.environments.filter((env) => env.name !== input.target.name && chain.includes(env.name));
  for (const { value: definition, file } of input.definitions) {
    if (exclusionReason(definition, input.target.name) !== undefined) continue;
    const renderFor = (env: Environment) => (input.render ?? renderJob)(build(definition, env, file), { ...input.context, env });
    const spec = build(definition, input.target, file);
    const job = input.rendered?.get(spec.id) ?? (input.render ?? renderJob)(spec, { ...input.context, env: input.target });
    const renders = [job, ...others.filter((env) => exclusionReason(definition, env.name) === undefined).map(renderFor)];
    const { hash, maskedPaths } = envFreeHash(job, renders);
    result.set(job.ID, { id: job.ID, envFreeHash: hash, maskedPaths, images: jobImages(job), job });
  }
  return result;
}

function build(definition: JobDefinition, env: Environment, file: string | undefined): JobSpec {
  try {
    return definition.build(env);
  } catch (error) {
    throw new DroverError(`${file ?? 'A job definition'} does not build for environment ${env.name}: ${error instanceof Error ? error.message : String(error)}`, ExitCode.validation, {
      hint: `A release compares each job's renders for every environment; run \`drover validate ${env.name}\` and fix the job.`,
    });
  }
}

function stripVolatile(job: unknown): unknown {
  if (!isPlainObject(job)) return job;
  const meta = (job as { Meta?: Record<string, string> }).Meta;
  if (!meta) return job;
  return { ...job, Meta: Object.fromEntries(Object.entries(meta).filter(([key]) => !DROPPED_META.includes(key))) };
}

function setPath(root: Record<string, unknown>, path: JsonPath): void {
  let node: unknown = root;
  for (const key of path.slice(0, -1)) {
    node = (node as Record<string | number, unknown>)[key];
    // A missing parent means the whole parent varies, and that path is masked itself.
    if (node === null || typeof node !== 'object') return;
  }
  const last = path[path.length - 1];
  if (last === undefined) return;
  (node as Record<string | number, unknown>)[last] = MASK;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
