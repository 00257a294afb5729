// drover's sources are TypeScript. Starting a TypeScript loader (tsx) costs more than most commands
// take, so bin/drover.mjs runs a JavaScript build of src/cli/main.ts instead: compiled once with
// esbuild (one chunk per lazily imported command, so a command loads only its own code), kept in
// node_modules/.cache/drover/cli-<hash>/, and reused while no source file it was built from
// changed (size and modification time of each, checked on every start: a few milliseconds).
//
// Plain JavaScript on purpose: it runs before any TypeScript can load.
import { readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Bumped whenever this file builds differently, so that an older build is never reused. */
const BUILD_FORMAT = 3;
const root = fileURLToPath(new URL('../', import.meta.url));
const entry = join(root, 'src', 'cli', 'main.ts');

/**
 * The URL of the compiled src/cli/main.ts, built now when the cached one is missing or stale;
 * undefined when it cannot be built (a syntax error in src/ while developing, a read-only
 * install): the caller then runs the sources through tsx, which reports such errors itself.
 * `cacheDir` is for the benchmark, which times a compile into an empty directory.
 */
export async function compiledCli({ cacheDir = cacheDirectory() } = {}) {
  const manifestPath = join(cacheDir, 'cli.json');
  const manifest = readManifest(manifestPath);
  if (manifest && isFresh(manifest)) return pathToFileURL(join(cacheDir, manifest.dir, 'main.js')).href;
  try {
    const dir = await build(cacheDir, manifestPath);
    return dir && pathToFileURL(join(cacheDir, dir, 'main.js')).href;
  } catch {
    return undefined;
  }
}

/**
 * node_modules/.cache/drover of the tree drover is installed in (the project's, when drover is
 * a dependency), or of this checkout.
 */
function cacheDirectory() {
  const parts = root.split(sep).filter((part, i) => part !== '' || i === 0);
  const installedIn = parts.lastIndexOf('node_modules');
  const base = installedIn >= 0 ? parts.slice(0, installedIn + 1).join(sep) : join(root, 'node_modules');
  return join(base, '.cache', 'drover');
}

function readManifest(path) {
  try {
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    return manifest.format === BUILD_FORMAT && typeof manifest.dir === 'string' && typeof manifest.inputs === 'object' ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/** Every input (absolute paths: sources, external packages' entry files, package.json, tsconfig.json) has the size and time it had. */
function isFresh(manifest) {
  for (const [path, [mtimeMs, size]] of Object.entries(manifest.inputs)) {
    const now = statSync(path, { throwIfNoEntry: false });
    if (!now || now.mtimeMs !== mtimeMs || now.size !== size) return false;
  }
  return true;
}

async function build(cacheDir, manifestPath) {
  const { mkdir, rename, rm, writeFile } = await import('node:fs/promises');
  const { createHash } = await import('node:crypto');
  const esbuild = await import('esbuild');
  const started = Date.now();
  const externals = new Set();
  const result = await esbuild.build({
    entryPoints: { main: entry },
    absWorkingDir: root,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir: join(cacheDir, 'cli-out'),
    chunkNames: 'chunk-[hash]',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [sourceUrls(), packagesWhereTheyAre(externals)],
  });
  const files = result.outputFiles.map((file) => ({ name: relative(join(cacheDir, 'cli-out'), file.path), contents: file.contents }));
  const digest = createHash('sha256');
  for (const file of files.sort((a, b) => a.name.localeCompare(b.name))) digest.update(file.name).update(file.contents);
  const dir = `cli-${digest.digest('hex').slice(0, 16)}`;
  await mkdir(cacheDir, { recursive: true });
  const temporary = join(cacheDir, `${dir}.${process.pid}.tmp`);
  await rm(temporary, { recursive: true, force: true });
  await mkdir(temporary, { recursive: true });
  await Promise.all(files.map((file) => writeFile(join(temporary, file.name), file.contents)));
  // Another drover process may have written the same build meanwhile: either copy is right.
  await rename(temporary, join(cacheDir, dir)).catch(() => rm(temporary, { recursive: true, force: true }));
  const inputs = {};
  const paths = [...Object.keys(result.metafile.inputs), ...externals, 'package.json', 'tsconfig.json'];
  let editedMeanwhile = false;
  for (const path of paths) {
    const stats = statSync(resolve(root, path), { throwIfNoEntry: false });
    if (!stats) continue;
    if (stats.mtimeMs >= started) editedMeanwhile = true;
    inputs[resolve(root, path)] = [stats.mtimeMs, stats.size];
  }
  // A source edited while esbuild read it: use this build once, but do not record it as current.
  if (!editedMeanwhile) {
    const manifestTemporary = `${manifestPath}.${process.pid}.tmp`;
    await writeFile(manifestTemporary, `${JSON.stringify({ format: BUILD_FORMAT, dir, inputs })}\n`);
    await rename(manifestTemporary, manifestPath);
  }
  await pruneOldBuilds(cacheDir, dir);
  return dir;
}

/**
 * `import.meta.url` (and `.dirname`, `.filename`) of each source file stay the source file's
 * (drover finds its templates, package.json and the example apps next to its sources), not the
 * chunk's in the cache.
 */
function sourceUrls() {
  return {
    name: 'drover-source-urls',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.')) return undefined;
        const contents = text
          .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
          .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
          .replaceAll('import.meta.filename', JSON.stringify(args.path));
        return { contents, loader: 'ts' };
      });
    },
  };
}

/**
 * npm packages stay outside the build and load from where Node would find them from the source
 * file (their absolute file URL), not from the cache directory; each such file counts as an input.
 */
function packagesWhereTheyAre(externals) {
  return {
    name: 'drover-packages-where-they-are',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === 'resolving' || isBuiltin(args.path)) return undefined;
        const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'resolving' });
        if (found.errors.length > 0 || /\.[cm]?tsx?$/.test(found.path)) return undefined;
        externals.add(found.path);
        return { path: pathToFileURL(found.path).href, external: true };
      });
    },
  };
}

/**
 * Builds other than the current one go once they are an hour old: a drover started from one may
 * still import a chunk of it (each command's code loads when the command runs).
 */
async function pruneOldBuilds(cacheDir, current) {
  const { readdir, rm, stat } = await import('node:fs/promises');
  const hourAgo = Date.now() - 60 * 60 * 1000;
  for (const name of await readdir(cacheDir).catch(() => [])) {
    if (!name.startsWith('cli-') || name === current) continue;
    const path = join(cacheDir, name);
    const stats = await stat(path).catch(() => undefined);
    if (stats && stats.mtimeMs < hourAgo) await rm(path, { recursive: true, force: true });
  }
}
