import { lstat, mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { ExitCode, UsageError, ValidationError } from '../../errors.ts';
import { DROVER_ROOT, droverDevVersions, readTemplates, readVerbatimFiles } from '../../init/sources.ts';
import { packageNameFor, renderScaffold, type ScaffoldFile } from '../../init/scaffold.ts';
import { renderOutputs } from '../../render/outputs.ts';
import type { Style } from '../../report/style.ts';
import { parseCommandArgs } from '../args.ts';
import type { CliIo } from '../io.ts';
import { openProject, prepare } from '../pipeline.ts';
import { INIT_HELP, INIT_OPTIONS } from '../usage/init.ts';

/** The example service job's ID. */
const SERVICE = 'web';

export async function initCommand(argv: readonly string[], io: CliIo, style: Style): Promise<number> {
  const { values, positionals } = parseCommandArgs('init', argv, INIT_OPTIONS);
  if (values.help) return io.stdout.write(INIT_HELP), ExitCode.ok;
  if (positionals.length > 1) throw new UsageError(`Unexpected arguments: ${positionals.slice(1).join(' ')}`, { hint: 'Usage: drover init [<dir>] [--force]' });
  const target = resolve(io.cwd, positionals[0] ?? '.');
  await refuseNonEmpty(target, positionals[0] ?? '.', values.force ?? false);
  const name = values.name ?? packageNameFor(basename(target));
  if (!name) throw new UsageError(`No npm package name can be made from the folder name "${basename(target)}"`, { hint: 'Pass one: `drover init <dir> --name my-service`.' });
  const droverSpec = values.drover ?? `file:${relative(target, DROVER_ROOT) || '.'}`;
  const scaffold = renderScaffold(await readTemplates(), { name, droverSpec, service: SERVICE, namespace: 'default', owner: `team-${name}`, ...(await droverDevVersions()) });
  const files = [...scaffold, ...(await readVerbatimFiles())];
  for (const file of files) await writeInto(target, file);
  const generated = await renderGenerated(target, name, io, droverSpec);
  for (const path of [...files.map((f) => f.path), ...generated].sort()) io.stdout.write(`${path}\n`);
  io.stderr.write(
    `${style.green('✔')} Created drover project "${name}" in ${target}\n` +
      `  → cd ${relative(io.cwd, target) || '.'} && npm install && npm test, then \`npx drover deploy qa\`. See README.md for the Vault setup and the pipelines.\n`,
  );
  return ExitCode.ok;
}

async function refuseNonEmpty(target: string, shown: string, force: boolean): Promise<void> {
  const entries = await readdir(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    if (error.code === 'ENOTDIR') throw new UsageError(`Cannot create a project in ${shown}: it is a file`, { hint: 'Name a folder: `drover init my-service`.' });
    throw error;
  });
  if (entries.length === 0 || force) return;
  throw new UsageError(`Refusing to create a project in ${shown}: it is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''})`, {
    hint: `Name a new folder (\`drover init my-service\`), or pass --force to write into ${shown} (files of the same names are overwritten).`,
  });
}

async function writeInto(root: string, file: ScaffoldFile): Promise<void> {
  const path = join(root, file.path);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, file.content);
}

/**
 * Renders qa and prod with drover's own renderer, as `drover render <env>` would: the committed
 * files (vault-policies/<env>/, fabio/) and build/<env>/, so validate and `render --check` pass
 * from the start. The job files import 'drover', so node_modules/drover must resolve: it is
 * linked to this drover, as npm links a `file:` dependency; for any other --drover the link is
 * removed again, for `npm install` to fetch what package.json names.
 */
async function renderGenerated(root: string, name: string, io: CliIo, droverSpec: string): Promise<string[]> {
  const link = join(root, 'node_modules/drover');
  const linked = await lstat(link).then(() => false, async () => (await mkdir(dirname(link), { recursive: true }), await symlink(DROVER_ROOT, link, 'dir'), true));
  try {
    const project = await openProject(io, { project: root });
    const written: string[] = [];
    for (const env of project.environments.map((m) => m.value.name)) {
      const prepared = prepare(project, env, io);
      if (!prepared.ok) throw new ValidationError(`The new project does not validate for ${env}`, prepared.diagnostics, { hint: 'This is a bug in drover init: report it with the output above.' });
      const { files } = renderOutputs(prepared.jobs, { env: prepared.env, project: name, gitSha: 'unknown', release: 'unknown' });
      for (const file of files) {
        const path = file.committed ? file.path : join('build', file.path);
        await writeInto(root, { path, content: file.content });
        written.push(path);
      }
    }
    return written;
  } finally {
    if (linked && !droverSpec.startsWith('file:')) await rm(link);
  }
}
