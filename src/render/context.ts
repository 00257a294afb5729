import type { Environment } from '../config/environment.ts';

/** Everything rendering needs besides the job itself. Rendering reads nothing else. */
export interface RenderContext {
  readonly env: Environment;
  /** Project name, written to job meta `drover.project` so ownership can be checked later. */
  readonly project: string;
  /** Commit the jobs were rendered from (`drover.git_sha`). */
  readonly gitSha: string;
  /** Release identifier (`drover.release`). */
  readonly release: string;
  /**
   * Image pins, by reference as written (`ghcr.io/acme/api:1.4.2` → `ghcr.io/acme/api:1.4.2@sha256:…`,
   * from the environment's registries) or by repository (`ghcr.io/acme/api` → the release's
   * reference, so prod runs exactly what QA verified). The reference's own pin wins.
   */
  readonly images?: Readonly<Record<string, string>>;
  /**
   * Render every canary group with `AutoPromote: false`, whatever its promotion mode:
   * `deploy --stop-at-canary` must find the canaries waiting. With `auto` Nomad would otherwise
   * promote them itself before drover could stop. Part of the spec (and its hash): the job Nomad
   * holds really does wait for a promotion.
   * @default false
   */
  readonly holdCanaries?: boolean;
}

/** Job meta keys drover owns. */
export const META = {
  project: 'drover.project',
  env: 'drover.env',
  gitSha: 'drover.git_sha',
  release: 'drover.release',
  owner: 'drover.owner',
  dependsOn: 'drover.depends_on',
  specHash: 'drover.spec_hash',
} as const;

/** Meta that changes with every release without changing what runs; excluded from the spec hash. */
export const VOLATILE_META: readonly string[] = [META.gitSha, META.release];
