/** `drover releases`: its help text and flags, apart from its code so that `--help` and completion load nothing else. */
import { COMMON_OPTIONS } from '../args.ts';

/** `drover releases --help`. */
export const RELEASES_HELP = `drover releases [<env>] [options]

Lists release records, newest first: id, commit, status (awaiting-promotion, deployed, verified,
failed), when and by whom it was created, and how its deploys went in the source environment and
wherever it was promoted (succeeded, failed, awaiting-promotion: \`drover promote <env>\` ends it). Records live in the Consul KV (drover/releases/) of the environment releases come from:
<env> itself, or the environment its promotion.releasesFrom names (default: the environment other
environments take releases from).

  --limit N     show at most N releases (default 20)
  --json        print the records as JSON
  --local       read the local copies in .drover/releases/ instead of Consul

Consul's address comes from the environment file, overridden by CONSUL_HTTP_ADDR; the token only
from CONSUL_HTTP_TOKEN.
`;
/** `drover release --help`. */
export const RELEASE_HELP = `drover release show <id> [<env>] [options]

Shows one release: commit, status, per job the images, hashes and QA versions, every smoke check
with its request and response, soak problems, and each promotion (forced ones with their reason).

  --json        print the record as JSON
  --local       read .drover/releases/<id>.json instead of Consul
`;

export const RELEASES_OPTIONS = { ...COMMON_OPTIONS, limit: { type: 'string' }, json: { type: 'boolean' }, local: { type: 'boolean' } } as const;
