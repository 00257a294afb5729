import { afterEach, beforeEach } from 'vitest';
import type { SandboxOptions } from '../../src/sandbox/server.ts';
import { runAgainst, sandboxFor, type SeededSandbox } from './sandbox.ts';
import { tempProject } from './temp-project.ts';

/** A fresh copy of the project (standalone environments) and a seeded sandbox, per test. */
export interface SandboxProject {
  /** The project copy's directory. */
  readonly dir: string;
  readonly sandbox: SeededSandbox;
  /** Runs the CLI in the project copy against the sandbox, with the deployer's Vault token. */
  run(...argv: string[]): ReturnType<typeof runAgainst>;
}

/**
 * The setup most CLI suites share: before each test, a copy of this repository's project whose
 * environments take no releases (`tempProject({ environments: 'standalone' })`) and a sandbox for
 * `env` with its Vault seeded; both removed after the test. Call it inside `describe`.
 */
export function useSandboxProject(env: 'qa' | 'prod', options: SandboxOptions = {}): SandboxProject {
  let current: { dir: string; cleanup: () => Promise<void>; sandbox: SeededSandbox } | undefined;
  const get = () => {
    if (!current) throw new Error('useSandboxProject: used outside a test');
    return current;
  };
  beforeEach(async () => {
    const project = await tempProject({ environments: 'standalone' });
    current = { ...project, sandbox: await sandboxFor(env, options) };
  });
  afterEach(async () => {
    await current?.sandbox.close();
    await current?.cleanup();
    current = undefined;
  });
  return {
    get dir() {
      return get().dir;
    },
    get sandbox() {
      return get().sandbox;
    },
    run: (...argv) => {
      const { sandbox, dir } = get();
      return runAgainst(sandbox, argv, { cwd: dir, env: { VAULT_ADDR: sandbox.addresses.vault, VAULT_TOKEN: sandbox.deployerToken } });
    },
  };
}
