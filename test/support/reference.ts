import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `../shared/reference` beside the repository, as CI lays it out. */
export const referenceDir = fileURLToPath(new URL('../../../shared/reference/', import.meta.url));

/** Whether the reference is there, and with it each of `files` (relative to it) a test reads. */
export function hasReference(...files: readonly string[]): boolean {
  return existsSync(referenceDir) && files.every((file) => existsSync(`${referenceDir}${file}`));
}

export function readReferenceJson(relativePath: string): unknown {
  return JSON.parse(readFileSync(`${referenceDir}${relativePath}`, 'utf8'));
}
