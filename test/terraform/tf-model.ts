import { parse } from '@cdktf/hcl2json';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Terraform configurations of terraform/, read with HashiCorp's HCL parser (hcl2json) into what
 * the structural tests compare: per module folder its variables, outputs, locals, resources,
 * data sources, module calls, and every reference made inside `${...}` expressions.
 */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** hcl2json's untyped JSON. */
export type Hcl = Record<string, any>;

export interface TfModule {
  /** Folder relative to the repository root, e.g. terraform/modules/nomad-cluster-aws. */
  readonly dir: string;
  readonly files: readonly string[];
  readonly variables: ReadonlyMap<string, Hcl>;
  readonly outputs: ReadonlySet<string>;
  readonly locals: ReadonlySet<string>;
  readonly resources: ReadonlySet<string>;
  readonly data: ReadonlySet<string>;
  readonly calls: ReadonlyMap<string, Hcl>;
  readonly providers: Hcl;
  /** The text of every `${...}` expression, with the file it is in. */
  readonly expressions: readonly { file: string; text: string }[];
}

/** Files under `dir` (repository-relative) ending with `suffix`, .terraform/ left out. */
export function filesUnder(dir: string, suffix: string): string[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .map((name) => `${dir}/${name.split('\\').join('/')}`)
    .filter((path) => path.endsWith(suffix) && statSync(join(ROOT, path)).isFile() && !path.includes('/.terraform/'))
    .sort();
}

export const readText = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
export const parseHcl = async (path: string): Promise<Hcl> => parse(path, readText(path));

/** Each `${...}` in a string, matched by brace depth (expressions nest objects and templates). */
export function interpolations(text: string): string[] {
  const found: string[] = [];
  for (let start = text.indexOf('${'); start !== -1; start = text.indexOf('${', start + 2)) {
    let depth = 0;
    for (let i = start + 1; i < text.length; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}' && --depth === 0) {
        found.push(text.slice(start + 2, i));
        start = i - 1;
        break;
      }
    }
  }
  return found;
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

const keysOf = (block: Hcl | undefined): string[] => Object.keys(block ?? {});
const labeled = (block: Hcl | undefined): string[] => keysOf(block).flatMap((type) => keysOf(block?.[type]).map((name) => `${type}.${name}`));

/** Every module folder under terraform/ (a folder holding .tf files), parsed. */
export async function loadModules(): Promise<Map<string, TfModule>> {
  const byDir = new Map<string, string[]>();
  for (const file of filesUnder('terraform', '.tf')) byDir.set(dirname(file), [...(byDir.get(dirname(file)) ?? []), file]);
  const modules = new Map<string, TfModule>();
  for (const [dir, files] of byDir) {
    const docs = await Promise.all(files.map(async (file) => ({ file, doc: await parseHcl(file) })));
    const variables = new Map<string, Hcl>();
    const calls = new Map<string, Hcl>();
    const sets = { outputs: new Set<string>(), locals: new Set<string>(), resources: new Set<string>(), data: new Set<string>() };
    let providers: Hcl = {};
    const expressions: { file: string; text: string }[] = [];
    for (const { file, doc } of docs) {
      for (const [name, bodies] of Object.entries<Hcl[]>(doc.variable ?? {})) variables.set(name, bodies[0] ?? {});
      for (const [name, bodies] of Object.entries<Hcl[]>(doc.module ?? {})) calls.set(name, bodies[0] ?? {});
      for (const name of keysOf(doc.output)) sets.outputs.add(name);
      for (const block of (doc.locals ?? []) as Hcl[]) for (const name of keysOf(block)) sets.locals.add(name);
      for (const name of labeled(doc.resource)) sets.resources.add(name);
      for (const name of labeled(doc.data)) sets.data.add(name);
      for (const block of (doc.terraform ?? []) as Hcl[]) for (const required of (block.required_providers ?? []) as Hcl[]) providers = { ...providers, ...required };
      for (const text of stringsIn(doc).flatMap(interpolations)) expressions.push({ file, text });
    }
    modules.set(dir, { dir, files, variables, calls, providers, expressions, ...sets });
  }
  return modules;
}

/** The folder a module call's `source` names, relative to the repository root. */
export function sourceDir(caller: string, call: Hcl): string {
  return relative(ROOT, resolve(ROOT, caller, String(call.source)));
}

/** A module-call input given as a path string (`"${path.root}/../../../cluster/qa"`), resolved against the root module's folder. */
export function resolvePathInput(root: string, value: unknown): string {
  const text = String(value).replace('${path.root}', '.').replace('${path.module}', '.');
  if (text.includes('${')) throw new Error(`${root}: cannot resolve ${String(value)}; pass a literal path from path.root`);
  return relative(ROOT, resolve(ROOT, root, text));
}

/** Arguments (as written) of every call to `fn(...)` in an expression. */
export function callArguments(text: string, fn: string): string[] {
  const found: string[] = [];
  const pattern = new RegExp(`(?<![\\w.])${fn}\\(`, 'g');
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    let depth = 0;
    for (let i = match.index + fn.length; i < text.length; i++) {
      const c = text.charAt(i);
      if ('([{'.includes(c)) depth++;
      else if (')]}'.includes(c) && --depth === 0) {
        found.push(text.slice(match.index + fn.length + 1, i));
        break;
      }
    }
  }
  return found;
}

/** The first argument of a call's argument list (up to a comma outside brackets and strings). */
export function firstArgument(args: string): string {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < args.length; i++) {
    const c = args.charAt(i);
    if (c === '"' && args[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && '([{'.includes(c)) depth++;
    else if (!quoted && ')]}'.includes(c)) depth--;
    else if (!quoted && depth === 0 && c === ',') return args.slice(0, i).trim();
  }
  return args.trim();
}
