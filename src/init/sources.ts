import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScaffoldFile, Template } from './scaffold.ts';

/** drover's own checkout (or installed package): where the templates and the pipelines live. */
export const DROVER_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const TEMPLATES_DIR = join(DROVER_ROOT, 'src/init/templates');

/**
 * Files a new project gets as they are, from drover's own tree: the delivery pipelines of
 * examples/ci/ (GitHub's `${{ }}` expressions must not meet a template engine) and the deployer's
 * Vault policy, the same for every project (validate checks it reads no secret value).
 */
const VERBATIM: readonly { readonly from: string; readonly to: string }[] = [
  { from: 'examples/ci/github/deploy.yml', to: '.github/workflows/deploy.yml' },
  { from: 'examples/ci/gitlab/.gitlab-ci.yml', to: '.gitlab-ci.yml' },
  { from: 'vault-policies/drover-deployer.hcl', to: 'vault-policies/drover-deployer.hcl' },
];

/** Every `*.hbs` under src/init/templates/, by path relative to it, sorted. */
export async function readTemplates(): Promise<Template[]> {
  const entries = await readdir(TEMPLATES_DIR, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && e.name.endsWith('.hbs')).map((e) => join(e.parentPath, e.name));
  const templates = await Promise.all(files.map(async (file) => ({ path: relative(TEMPLATES_DIR, file).split('\\').join('/'), text: await readFile(file, 'utf8') })));
  return templates.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** The files copied byte for byte, under their names in the new project. */
export async function readVerbatimFiles(): Promise<ScaffoldFile[]> {
  return Promise.all(VERBATIM.map(async ({ from, to }) => ({ path: to, content: await readFile(join(DROVER_ROOT, from), 'utf8') })));
}

/** The versions drover itself builds with, so a new project type-checks with the same compiler. */
export async function droverDevVersions(): Promise<{ typescriptVersion: string; typesNodeVersion: string }> {
  const pkg = JSON.parse(await readFile(join(DROVER_ROOT, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
  return { typescriptVersion: pkg.devDependencies?.typescript ?? 'latest', typesNodeVersion: pkg.devDependencies?.['@types/node'] ?? 'latest' };
}
