/** `drover releases`: its help text and flags, apart from its code so that `--help` and completion load nothing else. */
import { COMMON_OPTIONS, OUTPUT_OPTIONS, type Choices } from '../args.ts';

/** `drover releases --help`. */
export const RELEASES_HELP = `drover releases [<env>] [options]

Lists release records, newest first: id, commit, status (awaiting-promotion, deployed, verified,
failed), when and by whom it was created, and how its deploys went in the source environment and
wherever it was promoted (succeeded, failed, awaiting-promotion: \`drover promote <env>\` ends it). Records live in the Consul KV (drover/releases/) of the environment releases come from:
<env> itself, or the environment its promotion.releasesFrom names (default: the environment other
environments take releases from).

  --limit N     show at most N releases (default 20)
  --output json print one JSON document (schema drover.releases/v1, see docs/output.md)
  --json        same as --output json
  --local       read the local copies in .drover/releases/ instead of Consul

Named itself (or by default), the source's Consul address comes from its environment file,
overridden by CONSUL_HTTP_ADDR, the token from CONSUL_HTTP_TOKEN. Named through an environment
that takes its releases (\`drover releases prod\`), as deploy reads them: DROVER_RELEASES_CONSUL_HTTP_ADDR,
DROVER_RELEASES_CONSUL_HTTP_TOKEN and DROVER_RELEASES_CONSUL_CACERT.
`;
/** `drover release --help`. */
export const RELEASE_HELP = `drover release show <id> [<env>] [options]

Shows one release: commit, status, per job the images, hashes and QA versions, every smoke check
with its request and response, soak problems, and each promotion (forced ones with their reason).

  --output json print one JSON document (schema drover.release/v1, see docs/output.md)
  --json        same as --output json
  --local       read .drover/releases/<id>.json instead of Consul

Consul as for \`drover releases\`.
`;

export const RELEASES_OPTIONS = { ...COMMON_OPTIONS, ...OUTPUT_OPTIONS, limit: { type: 'string' }, json: { type: 'boolean' }, local: { type: 'boolean' } } as const;

/** The values of releases's enumerated flags: its parser refuses any other, completion offers exactly these. */
export const RELEASES_CHOICES = { output: ['json', 'table'] } as const satisfies Choices;
