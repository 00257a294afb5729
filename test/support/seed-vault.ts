import type { Environment } from '../../src/config/environment.ts';
import { seedSandboxVault as seed, vaultAdmin, type SeededVault } from '../../src/cli/seed-vault.ts';
import type { RunningSandbox } from '../../src/sandbox/server.ts';
import type { LoadedJob } from '../../src/model/loaded-job.ts';
import { buildExampleJobs } from './example-jobs.ts';
import { repoRoot } from './run-cli.ts';
import { SENTINELS } from './sentinels.ts';

export { vaultAdmin, type SeededVault };

export interface SeedOptions {
  /** @default the example jobs built for `env` */
  readonly jobs?: readonly LoadedJob[];
  /** @default the repository */
  readonly root?: string;
}

/** Seeds the sandbox's Vault for `env` with sentinel values a scan must never find in drover's output. */
export async function seedSandboxVault(sandbox: RunningSandbox, env: Environment, options: SeedOptions = {}): Promise<SeededVault> {
  return seed(sandbox, env, { jobs: options.jobs ?? (await buildExampleJobs(env)), root: options.root ?? repoRoot, valueFor: sentinelValue });
}

/** The shared sentinels for the well-known keys, a unique marker otherwise. */
function sentinelValue(mount: string, path: string, key: string): string {
  if (key === 'password') return SENTINELS.DATABASE_PASSWORD;
  if (key === 'secret_access_key') return SENTINELS.AWS_SECRET_ACCESS_KEY;
  return `sentinel-value:${mount}/${path}#${key}`;
}
