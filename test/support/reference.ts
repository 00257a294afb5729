import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `../shared/reference` beside the repository, as CI lays it out. */
export const referenceDir = fileURLToPath(new URL('../../../shared/reference/', import.meta.url));

export function hasReference(): boolean {
  return existsSync(referenceDir);
}

export function readReferenceJson(relativePath: string): unknown {
  return JSON.parse(readFileSync(`${referenceDir}${relativePath}`, 'utf8'));
}
