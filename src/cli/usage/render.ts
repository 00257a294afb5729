/** `drover render`: its help text and flags, apart from its code so that `--help` and completion load nothing else. */
import { COMMON_OPTIONS } from '../args.ts';

export const RENDER_HELP = `drover render <env> [--job ID] [--out DIR] [--check] [--git-sha SHA] [--release ID]

Validates every job for <env>, then writes, per job, the Nomad API JSON (<out>/<env>/<id>.json)
and an HCL jobspec (<out>/<env>/<id>.nomad.hcl), and refreshes the committed generated files
(fabio/fabio.<env>.properties, vault-policies/<env>/, the Grafana dashboards with their
provisioning in grafana/<env>/, and a log shipper's jobs/<dir>/vector.<env>.toml). Files drover
wrote that nothing renders any more (a removed job's, or an environment's the project no longer
defines, in build/ too) are removed and named, with the folders that leaves empty. Nothing is
written when validation fails (exit 65).

  --job ID        render only this job (validation still covers all jobs)
  --out DIR       build folder (default: build in the project)
  --check         write nothing; exit 65 when committed generated files (Fabio properties, Vault
                  policies and roles, Grafana dashboards, Vector configs, cluster/<env>/) are
                  stale or left over, or the policies are not least-privilege
  --git-sha SHA   commit recorded in job meta (default: git rev-parse HEAD, "-dirty" if modified)
  --release ID    release recorded in job meta (default: first 12 characters of the SHA)
  --project DIR   project root holding jobs/ and environments/ (default: current directory)
  --environments DIR  environment definitions (default: <project>/environments)
  --no-typecheck      skip type-checking jobs/ and environments/ with the project's tsc
`;

export const RENDER_OPTIONS = {
  ...COMMON_OPTIONS,
  'no-typecheck': { type: 'boolean' },
  job: { type: 'string' },
  out: { type: 'string' },
  check: { type: 'boolean' },
  'git-sha': { type: 'string' },
  release: { type: 'string' },
} as const;
