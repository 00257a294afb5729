import Handlebars from 'handlebars';

/** What the templates of a new project are filled with. */
export interface ScaffoldValues {
  /** npm package name, also recorded as job meta `drover.project`. */
  readonly name: string;
  /** How package.json depends on drover: a `file:` path, a git URL or a registry range. */
  readonly droverSpec: string;
  /** ID of the example service job (and its group, task and Consul service). */
  readonly service: string;
  /** Nomad namespace of both environments. */
  readonly namespace: string;
  /** `owner` of the example job. */
  readonly owner: string;
  /** Versions of the dev dependencies, taken from drover's own package.json. */
  readonly typescriptVersion: string;
  readonly typesNodeVersion: string;
}

/** A template: its path under the templates folder and its text. */
export interface Template {
  readonly path: string;
  readonly text: string;
}

/** A file of the new project, relative to its root. */
export interface ScaffoldFile {
  readonly path: string;
  readonly content: string;
}

/**
 * Fills every `*.hbs` template (strict: a value the template names but `values` lacks is an
 * error, not an empty string; noEscape: these are source files, not HTML) and names its output:
 * `.hbs` dropped, `gitignore` → `.gitignore` (npm strips dotfiles named .gitignore from
 * packages), `jobs/service.ts` → `jobs/<service>.ts`. Pure: templates arrive as text.
 */
export function renderScaffold(templates: readonly Template[], values: ScaffoldValues): ScaffoldFile[] {
  return templates
    .map((t) => ({ path: outputPath(t.path, values), content: Handlebars.compile(t.text, { strict: true, noEscape: true })(values) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function outputPath(templatePath: string, values: ScaffoldValues): string {
  const path = templatePath.replace(/\.hbs$/, '');
  if (path === 'gitignore') return '.gitignore';
  if (path === 'jobs/service.ts') return `jobs/${values.service}.ts`;
  return path;
}

/**
 * The npm package name for a project folder: lower case, characters npm accepts, at most 214
 * long. Returns undefined when nothing usable is left (the caller asks for --name).
 * @see https://docs.npmjs.com/cli/configuring-npm/package-json#name
 */
export function packageNameFor(folderName: string): string | undefined {
  const name = folderName
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '')
    .slice(0, 214);
  return name === '' || name === 'node_modules' || name === 'favicon.ico' ? undefined : name;
}
