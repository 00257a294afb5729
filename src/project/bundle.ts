import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Imports one definition module (its namespace: `default` and the rest). */
export type ModuleImporter = (path: string) => Promise<unknown>;

/**
 * Bumped when the bundle's shape or the way it is built changes, so that an old cache entry is
 * never read by a drover that builds it differently.
 */
const BUNDLE_FORMAT = 1;

/**
 * Text in a bundle that means a module relies on being its own file (its URL, its directory, a
 * `require` of something not bundled): such a project is imported file by file instead.
 */
const FILE_BOUND = ['import.meta', '__require', '__dirname', '__filename'];

/** What the cache keeps per project root: which bundle is current and what it was built from. */
interface Manifest {
  readonly format: number;
  readonly esbuild: string;
  /** Definition files (absolute), sorted. */
  readonly entries: string[];
  /** Every file the bundle was built from (absolute) → sha256 of its content; tsconfig.json too. */
  readonly inputs: Record<string, string>;
  /** File name of the bundle in the cache directory. */
  readonly bundle: string;
}

/** The bundle's one export: a loader per definition file, keyed by its path relative to the root. */
type BundleModule = { modules: Record<string, () => unknown> };

/**
 * All of a project's definition files (jobs/, environments/ and what they import, drover's
 * authoring API included) compiled in one esbuild pass into one ES module, cached by content hash
 * under `<root>/node_modules/.cache/drover/`: an unchanged project imports the cached bundle
 * without starting a compiler. Each file stays its own module inside the bundle (esbuild wraps a
 * `require`d module in a lazy initializer that rethrows its error), so a file that throws while
 * loading fails alone, with its own error.
 *
 * Undefined when the project cannot be bundled as it is — a syntax error (esbuild stops the
 * whole build), an import that does not resolve, a top-level await, a module that reads its own
 * URL or directory, an unwritable cache: then the caller imports the files one by one, which
 * reports each failure at its file:line:col the way it always did.
 */
export async function bundledImporter(root: string, files: readonly string[]): Promise<ModuleImporter | undefined> {
  if (files.length === 0) return undefined;
  const cacheDir = join(root, 'node_modules', '.cache', 'drover');
  const manifestPath = join(cacheDir, `project-${hash(root).slice(0, 12)}.json`);
  const entries = [...files].map((f) => resolve(f)).sort();
  const current = await readManifest(manifestPath);
  let bundlePath = current && (await isFresh(current, entries)) ? join(cacheDir, current.bundle) : undefined;
  let bundle = bundlePath ? await importBundle(bundlePath) : undefined;
  if (!bundle) {
    bundlePath = await buildBundle(root, entries, cacheDir, manifestPath, current);
    bundle = bundlePath ? await importBundle(bundlePath) : undefined;
  }
  if (!bundle) return undefined;
  const loaders = bundle.modules;
  return async (path) => {
    const load = loaders[entryKey(root, path)];
    if (!load) throw new Error(`${path} is not in the project bundle`);
    return load();
  };
}

async function importBundle(path: string): Promise<BundleModule | undefined> {
  try {
    const imported = (await import(pathToFileURL(path).href)) as Partial<BundleModule>;
    return typeof imported.modules === 'object' && imported.modules !== null ? (imported as BundleModule) : undefined;
  } catch {
    // Removed by another process's clean-up, or an external import Node cannot load (a package
    // shipped as TypeScript): rebuild, or import file by file.
    return undefined;
  }
}

/** True when the manifest was built from exactly these definition files, all inputs unchanged. */
async function isFresh(manifest: Manifest, entries: readonly string[]): Promise<boolean> {
  if (manifest.format !== BUNDLE_FORMAT || manifest.esbuild !== (await esbuildVersion())) return false;
  if (manifest.entries.length !== entries.length || manifest.entries.some((e, i) => e !== entries[i])) return false;
  // Synchronous reads: some hundred small files read faster in a row than through the thread pool.
  return Object.entries(manifest.inputs).every(([path, digest]) => fileHash(path) === digest);
}

/** Builds, writes and records the bundle; its path, or undefined when the project cannot be bundled. */
async function buildBundle(root: string, entries: readonly string[], cacheDir: string, manifestPath: string, previous: Manifest | undefined): Promise<string | undefined> {
  const esbuild = await import('esbuild');
  const started = Date.now();
  const drover = droverEntry(root);
  const result = await esbuild
    .build({
      stdin: { contents: entrySource(root, entries), resolveDir: root, sourcefile: 'drover-project-entry.js', loader: 'js' },
      absWorkingDir: root,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: `node${process.versions.node.split('.')[0]}`,
      // npm packages load from node_modules as they are; drover's authoring API is TypeScript, so
      // it is compiled into the bundle (aliased to the file `drover` resolves to from the project).
      packages: 'external',
      ...(drover ? { alias: { drover } } : {}),
      write: false,
      metafile: true,
      logLevel: 'silent',
    })
    .catch(() => undefined);
  const output = result?.outputFiles?.[0];
  if (!result || !output || result.errors.length > 0) return undefined;
  const code = output.text;
  if (FILE_BOUND.some((text) => code.includes(text))) return undefined;
  const inputPaths = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith('<')).map((p) => resolve(root, p));
  const tsconfig = join(root, 'tsconfig.json');
  const hashed = await Promise.all([...inputPaths, tsconfig].map(async (path) => [path, fileHash(path), await modifiedAt(path)] as const));
  const inputs: Record<string, string> = {};
  for (const [path, digest] of hashed) inputs[path] = digest;
  const key = hash(JSON.stringify([BUNDLE_FORMAT, esbuild.version, entries, inputs, code])).slice(0, 16);
  const bundle = `project-${key}.mjs`;
  try {
    await mkdir(cacheDir, { recursive: true });
    await writeAtomically(join(cacheDir, bundle), code);
    // A file edited while esbuild read it: use this bundle once, but do not record it as current.
    if (hashed.every(([, , mtime]) => mtime < started)) {
      const manifest: Manifest = { format: BUNDLE_FORMAT, esbuild: esbuild.version, entries: [...entries], inputs, bundle };
      await writeAtomically(manifestPath, `${JSON.stringify(manifest)}\n`);
    }
    await pruneCache(cacheDir, previous && previous.bundle !== bundle ? previous.bundle : undefined);
  } catch {
    return undefined;
  }
  return join(cacheDir, bundle);
}

/** The bundle's entry: one lazy loader per definition file. `require` keeps each one its own module. */
export function entrySource(root: string, entries: readonly string[]): string {
  const lines = entries.map((path) => {
    const key = entryKey(root, path);
    return `  ${JSON.stringify(key)}: () => require(${JSON.stringify(`./${key}`)}),`;
  });
  return `export const modules = {\n${lines.join('\n')}\n};\n`;
}

function entryKey(root: string, path: string): string {
  return relative(root, resolve(path)).split(sep).join('/');
}

/** The file `import … from 'drover'` means in this project, when it has drover installed. */
function droverEntry(root: string): string | undefined {
  try {
    return createRequire(join(root, 'package.json')).resolve('drover');
  } catch {
    return undefined;
  }
}

async function esbuildVersion(): Promise<string> {
  const pkg = createRequire(import.meta.url)('esbuild/package.json') as { version: string };
  return pkg.version;
}

async function readManifest(path: string): Promise<Manifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(path, 'utf8')) as Manifest;
    const wellFormed = Array.isArray(manifest.entries) && typeof manifest.inputs === 'object' && typeof manifest.bundle === 'string' && /^project-[0-9a-f]+\.mjs$/.test(manifest.bundle);
    return wellFormed ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/** sha256 of a file's content; '-' for a file that does not exist (a tsconfig.json added later counts as a change). */
function fileHash(path: string): string {
  try {
    return hash(readFileSync(path));
  } catch {
    return '-';
  }
}

async function modifiedAt(path: string): Promise<number> {
  return stat(path).then((s) => s.mtimeMs, () => 0);
}

function hash(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}

/**
 * Keeps the cache from growing with every project it has seen (tests make hundreds of temporary
 * copies on one node_modules): a manifest whose project is gone goes with its bundle, this
 * root's previous bundle goes, and a bundle no manifest names goes once it is an hour old (a
 * younger one may be another process's, about to be recorded).
 */
async function pruneCache(cacheDir: string, previous: string | undefined): Promise<void> {
  const names = await readdir(cacheDir).catch(() => [] as string[]);
  const named = new Set<string>();
  for (const name of names.filter((n) => /^project-[0-9a-f]+\.json$/.test(n))) {
    const manifest = await readManifest(join(cacheDir, name));
    const first = manifest?.entries[0];
    if (manifest && first !== undefined && existsSync(first)) {
      named.add(manifest.bundle);
    } else {
      await rm(join(cacheDir, name), { force: true });
      if (manifest) await rm(join(cacheDir, manifest.bundle), { force: true });
    }
  }
  const hourAgo = Date.now() - 60 * 60 * 1000;
  for (const name of names.filter((n) => /^project-[0-9a-f]+\.mjs$/.test(n))) {
    const path = join(cacheDir, name);
    if (name === previous || (!named.has(name) && (await modifiedAt(path)) < hourAgo)) await rm(path, { force: true });
  }
}
