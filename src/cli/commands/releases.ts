import { readFileSync } from 'node:fs';
import { createConsulClient, type ConsulClient } from '../../clients/consul/index.ts';
import type { Environment } from '../../config/environment.ts';
import { releaseTargetsOf } from '../../config/promotion-chain.ts';
import { ExitCode, UsageError } from '../../errors.ts';
import { formatReleaseDetail, formatReleaseTable } from '../../release/format.ts';
import { listLocalReleases, localReleaseDir, readLocalRelease } from '../../release/local.ts';
import type { Release } from '../../release/record.ts';
import { createReleaseStore, parseRelease, type ReleaseStore } from '../../release/store.ts';
import type { Style } from '../../report/style.ts';
import { parseCommandArgs } from '../args.ts';
import type { CliIo } from '../io.ts';
import { openProject } from '../pipeline.ts';
import { addressFrom, withErrorOrigin } from '../origin.ts';
import { sourceConsul } from '../clients.ts';
import { jsonDocument, releaseDocument, releasesDocument } from '../../report/documents.ts';
import { RELEASES_HELP, RELEASE_HELP, RELEASES_CHOICES, RELEASES_OPTIONS } from '../usage/releases.ts';

/** `drover releases [<env>]`. */
export async function releasesCommand(argv: readonly string[], io: CliIo, style: Style): Promise<number> {
  const { values, positionals } = parseCommandArgs('releases', argv, RELEASES_OPTIONS, RELEASES_CHOICES);
  if (values.help) return io.stdout.write(RELEASES_HELP), ExitCode.ok;
  const output = outputMode(values);
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit ${values.limit} is not a positive integer`);
  const { source, targets, root, viaTarget } = await sourceEnvironment(io, values, positionals[0]);
  const releases = values.local ? await readLocal(root) : await withStore(source, viaTarget, io, (store) => store.list());
  const shown = releases.slice(0, limit);
  if (output === 'json') return io.stdout.write(jsonDocument(releasesDocument(source.name, targets, shown))), ExitCode.ok;
  if (shown.length === 0) {
    // Consul filters what a token may not read instead of refusing: with ACLs, no token looks like no records.
    const tokenVariable = viaTarget ? 'DROVER_RELEASES_CONSUL_HTTP_TOKEN' : 'CONSUL_HTTP_TOKEN';
    const unset = !values.local && !io.env[tokenVariable] ? ` (${tokenVariable} is not set: if that Consul has ACLs, it shows an anonymous request nothing)` : '';
    io.stderr.write(`No releases in ${source.name} yet${unset}. A deploy to ${source.name} records one.\n`);
    return ExitCode.ok;
  }
  io.stdout.write(formatReleaseTable(shown, { source: source.name, targets }, style));
  return ExitCode.ok;
}

/** `drover release show <id> [<env>]`. */
export async function releaseCommand(argv: readonly string[], io: CliIo, style: Style): Promise<number> {
  const { values, positionals } = parseCommandArgs('release', argv, RELEASES_OPTIONS, RELEASES_CHOICES);
  if (values.help) return io.stdout.write(RELEASE_HELP), ExitCode.ok;
  const output = outputMode(values);
  const [action, id, envName] = positionals;
  if (action !== 'show' || !id) throw new UsageError('Usage: drover release show <id> [<env>]', { hint: 'Run `drover releases` for the ids.' });
  const { source, root, viaTarget } = await sourceEnvironment(io, values, envName);
  const release = values.local ? await readLocalOne(root, id) : await withStore(source, viaTarget, io, (store) => store.load(id));
  if (!release) {
    throw new UsageError(`Release ${id} does not exist in ${values.local ? localReleaseDir(root) : `${source.name}'s Consul`}`, { hint: `Run \`drover releases ${source.name}\` for the list.` });
  }
  io.stdout.write(output === 'json' ? jsonDocument(releaseDocument(source.name, release)) : formatReleaseDetail(release, style));
  return ExitCode.ok;
}

/** `--output json`, or its older spelling `--json`; else the table. */
function outputMode(values: { readonly output?: string; readonly json?: boolean }): 'json' | 'table' {
  return values.json || values.output === 'json' ? 'json' : 'table';
}

/**
 * The environment whose Consul holds the records: the named one, or the one it takes releases
 * from; without a name, the environment others take releases from (else the first by name).
 */
async function sourceEnvironment(io: CliIo, flags: { project?: string; environments?: string }, name: string | undefined): Promise<{ source: Environment; targets: string[]; root: string; viaTarget: boolean }> {
  const project = await openProject(io, flags);
  const envs = project.environments.map((m) => m.value);
  const byName = (n: string) => envs.find((e) => e.name === n);
  let source: Environment | undefined;
  if (name !== undefined) {
    const env = byName(name);
    if (!env) throw new UsageError(`Unknown environment "${name}"`, { hint: `Use one of: ${envs.map((e) => e.name).join(', ') || '(none found)'}.` });
    source = (env.promotion.releasesFrom && byName(env.promotion.releasesFrom)) || env;
  } else {
    const sources = envs.flatMap((e) => (e.promotion.releasesFrom ? [e.promotion.releasesFrom] : [])).sort();
    source = (sources[0] && byName(sources[0])) || [...envs].sort((a, b) => (a.name < b.name ? -1 : 1))[0];
  }
  if (!source) throw new UsageError('No environments found', { hint: 'Run drover from the project root or pass --project.' });
  const targets = releaseTargetsOf(envs, source.name);
  // `releases prod` reads qa's records as `deploy prod` does: through DROVER_RELEASES_CONSUL_*.
  return { source, targets, root: project.root, viaTarget: name !== undefined && source.name !== name };
}

/**
 * Opens the source's Consul. Named through the environment that takes its releases (`releases
 * prod`): as deploy does, DROVER_RELEASES_CONSUL_HTTP_ADDR/_TOKEN/_CACERT over the source's file.
 * Named itself (`releases qa`) or by default: CONSUL_HTTP_ADDR over the file, CONSUL_HTTP_TOKEN.
 */
async function withStore<T>(env: Environment, viaTarget: boolean, io: CliIo, use: (store: ReleaseStore) => Promise<T>): Promise<T> {
  const consul = viaTarget ? sourceConsul(io.env, env) : ownConsul(env, io);
  try {
    return await use(createReleaseStore(consul, { env: env.name }));
  } finally {
    consul.close();
  }
}

function ownConsul(env: Environment, io: CliIo): ConsulClient {
  const address = io.env.CONSUL_HTTP_ADDR || env.consul.address;
  const consul = createConsulClient({
    address,
    ...(io.env.CONSUL_HTTP_TOKEN ? { token: io.env.CONSUL_HTTP_TOKEN } : {}),
    ...(io.env.CONSUL_CACERT ? { caCert: readFileSync(io.env.CONSUL_CACERT) } : {}),
  });
  return withErrorOrigin(consul, {
    name: `Consul holding ${env.name}'s releases`,
    address,
    addressFrom: addressFrom(io.env, 'CONSUL_HTTP_ADDR', `environments/${env.name}.ts`),
    addressVariable: 'CONSUL_HTTP_ADDR',
    tokenVariable: 'CONSUL_HTTP_TOKEN',
    tokenSet: Boolean(io.env.CONSUL_HTTP_TOKEN),
  });
}

async function readLocal(root: string): Promise<Release[]> {
  const ids = await listLocalReleases(localReleaseDir(root));
  return (await Promise.all(ids.map((id) => readLocalOne(root, id)))).filter((r): r is Release => r !== null);
}

async function readLocalOne(root: string, id: string): Promise<Release | null> {
  // Ids come from the command line: keep them inside .drover/releases/.
  if (!/^[\w.-]+$/.test(id)) return null;
  const text = await readLocalRelease(localReleaseDir(root), id);
  return text === null ? null : parseRelease(`${localReleaseDir(root)}/${id}.json`, text);
}
