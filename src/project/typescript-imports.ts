/**
 * drover's CLI usually runs compiled (bin/drover.mjs loads a cached JavaScript build of src/), so
 * no TypeScript loader is registered: starting one costs more than answering `--help`. A module
 * that must import a `.ts` file by path at run time (a project that cannot be bundled, imported
 * file by file) calls this first; it registers tsx once in a compiled process and does nothing
 * where TypeScript already loads (bin's tsx fallback, vitest, `tsx` scripts).
 */

/** Set on globalThis by bin/drover.mjs when it runs the compiled build. */
const COMPILED_CLI = Symbol.for('drover.compiled-cli');

let registering: Promise<void> | undefined;

export function ensureTypeScriptImports(): Promise<void> {
  if ((globalThis as Record<symbol, unknown>)[COMPILED_CLI] !== true) return Promise.resolve();
  registering ??= import('tsx/esm/api').then(({ register }) => {
    register();
  });
  return registering;
}
