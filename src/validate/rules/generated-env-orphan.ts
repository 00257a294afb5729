import { GENERATED_MARKER as MARKER } from '../../secrets/derive.ts';
import type { Diagnostic } from '../diagnostic.ts';
import { problem } from '../rule.ts';
import { GENERATED_ORPHAN, isDroverGenerated } from './generated-orphan.ts';

/** A committed file found where drover writes an environment's generated files. */
export interface CommittedFile {
  /** Relative to the project root with `/`, e.g. `fabio/fabio.staging.properties`. */
  readonly path: string;
  readonly content: string;
}

export interface EnvironmentOrphanInput {
  /** Names of every environment the project defines. */
  readonly environments: readonly string[];
  /** The environment the command runs for: named in the command to run. */
  readonly env: string;
  readonly files: readonly CommittedFile[];
}

/**
 * A kind of place where drover commits an environment's generated files: a folder per environment
 * (`vault-policies/<env>/…`), or files under a folder named after the environment (`fabio/fabio.<env>.properties`).
 */
export type EnvironmentPathKind =
  | { readonly layout: 'env-folder'; readonly folder: string }
  | {
      readonly layout: 'env-in-name';
      readonly folder: string;
      /** Whether the files lie in subfolders of `folder` (`jobs/<dir>/vector.<env>.toml`). */
      readonly recursive: boolean;
      /** The whole path, the environment captured. */
      readonly pattern: RegExp;
      /** The files of `env` as a hint names them (`jobs/<dir>/vector.qa.toml`). */
      readonly label: (env: string) => string;
    };

/**
 * Every place drover commits an environment's generated files: Fabio's properties, Vault policies
 * and roles, Grafana dashboards, cluster agent configs and a log shipper's Vector config. The one
 * list both the reader (which folders to look in) and {@link generatedFileEnvironment} use.
 */
export const ENVIRONMENT_PATH_KINDS: readonly EnvironmentPathKind[] = [
  { layout: 'env-in-name', folder: 'fabio', recursive: false, pattern: /^fabio\/fabio\.([^/]+)\.properties$/, label: (env) => `fabio/fabio.${env}.properties` },
  { layout: 'env-folder', folder: 'vault-policies' },
  { layout: 'env-folder', folder: 'grafana' },
  { layout: 'env-folder', folder: 'cluster' },
  { layout: 'env-in-name', folder: 'jobs', recursive: true, pattern: /^jobs\/[^/]+\/vector\.([^/]+)\.toml$/, label: (env) => `jobs/<dir>/vector.${env}.toml` },
];

const ENVIRONMENT_PATHS: readonly { readonly kind: EnvironmentPathKind; readonly pattern: RegExp }[] = ENVIRONMENT_PATH_KINDS.map((kind) => ({
  kind,
  pattern: kind.layout === 'env-folder' ? new RegExp(`^${kind.folder}/([^/]+)/.+$`) : kind.pattern,
}));

/** The kind of place `path` lies in, with its environment, or `undefined` for any other path. */
function matchEnvironmentPath(path: string): { readonly kind: EnvironmentPathKind; readonly env: string } | undefined {
  for (const { kind, pattern } of ENVIRONMENT_PATHS) {
    const env = pattern.exec(path)?.[1];
    if (env !== undefined) return { kind, env };
  }
  return undefined;
}

/** The environment a committed generated file belongs to by its path, or `undefined` for any other path. */
export function generatedFileEnvironment(path: string): string | undefined {
  return matchEnvironmentPath(path)?.env;
}

/** Every place drover commits `env`'s generated files, as a hint names them: `fabio/fabio.qa.properties`, `vault-policies/qa/`, … Pure. */
export function environmentPlaces(env: string): string[] {
  return ENVIRONMENT_PATH_KINDS.map((kind) => (kind.layout === 'env-folder' ? `${kind.folder}/${env}/` : kind.label(env)));
}

/**
 * What to commit once `render` has fixed the committed files at `paths`: the environment folder
 * each lies in (`vault-policies/qa/`) or the file itself (`fabio/fabio.qa.properties`), sorted;
 * every place of `env` ({@link environmentPlaces}) when a path lies in none of
 * {@link ENVIRONMENT_PATH_KINDS}, so that a hint never leaves one out. Pure.
 */
export function placesToCommit(paths: readonly string[], env: string): string[] {
  const places = new Set<string>();
  for (const path of paths) {
    const match = matchEnvironmentPath(path);
    if (!match) return environmentPlaces(env);
    places.add(match.kind.layout === 'env-folder' ? `${match.kind.folder}/${match.env}/` : path);
  }
  return [...places].sort();
}

/**
 * Whether drover wrote this file, named by `path` as diagnostics name it (root-relative with `/`;
 * absolute only for a build folder outside the project): what {@link isDroverGenerated} knows, its
 * generated-by header within the first three lines (scripts and units carry it after their `#!` or
 * `[Unit]` line), or, for a Grafana dashboard, which cannot hold a comment, drover's uid
 * (`drover-<env>-…`) in a file named after it. The one test `render` applies before removing any
 * left-over file for the user. Pure.
 */
export function isGeneratedEnvironmentFile(path: string, content: string): boolean {
  if (isDroverGenerated(path, content)) return true;
  if (content.split('\n', 3).some((line) => line.includes(MARKER))) return true;
  const dashboard = /^grafana\/([^/]+)\/dashboards\/(drover-[^/]+)\.json$/.exec(path);
  if (!dashboard || !dashboard[2]?.startsWith(`drover-${dashboard[1]}-`)) return false;
  try {
    return (JSON.parse(content) as { uid?: unknown } | null)?.uid === dashboard[2];
  } catch {
    return false;
  }
}

/**
 * The entries of `files` that belong, by their path, to an environment not among `environments`,
 * each with that environment as `owner`; in the given order. Pure: the reader applies it to paths
 * before reading any content.
 */
export function selectOtherEnvironmentFiles<T extends { readonly path: string }>(files: readonly T[], environments: readonly string[]): (T & { readonly owner: string })[] {
  const defined = new Set(environments);
  return files
    .map((file) => ({ ...file, owner: generatedFileEnvironment(file.path) }))
    .filter((f): f is T & { owner: string } => f.owner !== undefined && !defined.has(f.owner));
}

/** A committed generated file of an environment the project does not define, as {@link selectOtherEnvironmentFiles} found it. */
export type OtherEnvironmentFile = CommittedFile & { readonly owner: string };

export interface EnvironmentOrphanReport extends Omit<EnvironmentOrphanInput, 'files'> {
  /** Already selected: each is reported, none looked at again. */
  readonly files: readonly OtherEnvironmentFile[];
}

/**
 * Committed generated files of an environment the project no longer defines (its file removed or
 * renamed): `fabio/fabio.staging.properties`, `vault-policies/staging/…`, and the like. The
 * per-environment checks never look at them, since no command runs for that environment. Pure;
 * sorted by path.
 */
export function findOrphanedEnvironmentFiles(input: EnvironmentOrphanInput): Diagnostic[] {
  return reportOrphanedEnvironmentFiles({ ...input, files: selectOtherEnvironmentFiles(input.files, input.environments) });
}

/** One `generated/orphan` diagnostic per file {@link selectOtherEnvironmentFiles} selected, sorted by path. Pure. */
export function reportOrphanedEnvironmentFiles(input: EnvironmentOrphanReport): Diagnostic[] {
  return [...input.files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((file) =>
      problem(
        GENERATED_ORPHAN,
        { file: file.path, path: '' },
        `${file.path} is left over: no environment "${file.owner}" is defined any more (environments: ${input.environments.join(', ') || 'none'})`,
        isGeneratedEnvironmentFile(file.path, file.content)
          ? `Run \`drover render ${input.env}\` (it removes the file), or delete it.`
          : 'Delete it: it carries no drover header, so render leaves it alone.',
      ),
    );
}
