#!/usr/bin/env node
// Entry point. drover's sources are TypeScript: it runs their cached JavaScript build (see
// compiled-cli.mjs), or — when that cannot be built — the sources themselves through tsx.
// Either way the user's jobs/*.ts load as TypeScript (src/project/bundle.ts).
import { compiledCli } from './compiled-cli.mjs';

const compiled = await compiledCli();
let main;
if (compiled) {
  // Tells src/project/typescript-imports.ts that tsx is not registered (yet).
  globalThis[Symbol.for('drover.compiled-cli')] = true;
  // Names drover's build (its cli-<hash> directory) for the render cache (src/project/render-cache.ts).
  globalThis[Symbol.for('drover.compiled-cli-url')] = compiled;
  ({ main } = await import(compiled));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
