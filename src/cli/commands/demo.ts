import { ExitCode } from '../../errors.ts';
import type { Style } from '../../report/style.ts';
import { randomBytes } from 'node:crypto';
import { buildJobs } from '../../project/load.ts';
import { seedSandboxVault } from '../../sandbox/seed-vault.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';
import { COMMON_OPTIONS, parseCommandArgs } from '../args.ts';
import type { CliIo } from '../io.ts';
import { openProject } from '../pipeline.ts';
import { deployCommand } from './deploy.ts';
import { renderCommand } from './render.ts';
import { validateCommand } from './validate.ts';

export const DEMO_HELP = `drover demo [--speed X] [--output tty|plain|ndjson]

The main job, on one machine: renders every environment, validates, then deploys to each
environment in promotion order (qa, then prod) — each against its own embedded drover sandbox, a
SIMULATOR of the Nomad, Consul and Vault APIs (not a scheduler: nothing really runs), whose Vault
is first given the jobs' secrets (random placeholders) and the committed policies and roles, and
which the deploy reaches with a read-only deployer token. Shows live progress. Against real clusters, use \`drover deploy <env>\` (npm run deploy:qa / deploy:prod).

  --speed X     sandbox seconds per real second (default 10, so Nomad's deadlines pass quickly)
`;

const OPTIONS = { ...COMMON_OPTIONS, speed: { type: 'string' }, output: { type: 'string' }, 'git-sha': { type: 'string' } } as const;

export async function demoCommand(argv: readonly string[], io: CliIo, style: Style): Promise<number> {
  const { values } = parseCommandArgs('demo', argv, OPTIONS);
  if (values.help) return io.stdout.write(DEMO_HELP), ExitCode.ok;
  const project = await openProject(io, values);
  const envs = promotionOrder(project.environments.map((m) => m.value));
  const passthrough = [
    ...(values.project ? ['--project', values.project] : []),
    ...(values.environments ? ['--environments', values.environments] : []),
    ...(values['git-sha'] ? ['--git-sha', values['git-sha']] : []),
  ];
  for (const env of envs) {
    const rendered = await renderCommand([env.name, ...passthrough], io, style);
    if (rendered !== ExitCode.ok) return rendered;
  }
  const validated = await validateCommand(passthrough.filter((a) => a !== '--git-sha' && a !== values['git-sha']), io, style);
  if (validated !== ExitCode.ok) return validated;
  const sandboxes: RunningSandbox[] = [];
  try {
    for (const env of envs) {
      const sandbox = await startSandbox({ clockSpeed: Number(values.speed ?? 10), nomad: { namespaces: [env.nomad.namespace], datacenters: [...env.datacenters] } });
      sandboxes.push(sandbox);
      // As an operator would before the first deploy: write the secrets the jobs reference (random
      // placeholders, never printed) and apply the committed Vault policies and roles.
      const deployer = await seedSandboxVault(sandbox, env, {
        jobs: buildJobs(project.jobs, env).jobs,
        root: project.root,
        valueFor: () => randomBytes(18).toString('base64url'),
      });
      io.stderr.write(`\n${style.bold(`▶ deploy ${env.name}`)} ${style.dim(`(sandbox: Nomad ${sandbox.addresses.nomad}, Consul ${sandbox.addresses.consul}; a simulator, not a scheduler)`)}\n`);
      const code = await deployCommand([env.name, ...passthrough, ...(values.output ? ['--output', values.output] : [])], io, style, {
        targets: { nomad: sandbox.addresses.nomad, consul: sandbox.addresses.consul },
        vault: { address: sandbox.addresses.vault, token: deployer.deployerToken },
      });
      if (code !== ExitCode.ok) return code;
    }
    return ExitCode.ok;
  } finally {
    await Promise.all(sandboxes.map((s) => s.close()));
  }
}

/** Environments that take releases from another come after it (qa before prod). */
function promotionOrder<T extends { readonly name: string; readonly promotion: { readonly releasesFrom?: string } }>(envs: readonly T[]): T[] {
  const rank = (env: T): number => (env.promotion.releasesFrom ? 1 + rank(envs.find((e) => e.name === env.promotion.releasesFrom) ?? env) : 0);
  return [...envs].sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : 1));
}
