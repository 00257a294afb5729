import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson } from '../render/canonical-json.ts';
import type { Release } from './record.ts';

/**
 * The local mirror of release records, `.drover/releases/<id>.json` in the project (git-ignored):
 * a copy for audits and for reading a release when the source environment's Consul is out of
 * reach. Consul stays the source of truth; the mirror is written after each successful KV write.
 */

/** `<root>/.drover/releases`. */
export function localReleaseDir(projectRoot: string): string {
  return join(projectRoot, '.drover', 'releases');
}

/** Writes `<dir>/<id>.json` atomically (temp file + rename), so a reader never sees half a record. */
export async function writeLocalRelease(dir: string, release: Release): Promise<void> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${release.id}.json`);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, canonicalJson(release), 'utf8');
  await rename(temp, file);
}

/** The mirrored record, or `null` when there is no file for `id`. */
export async function readLocalRelease(dir: string, id: string): Promise<string | null> {
  return readFile(join(dir, `${id}.json`), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
}

/** Ids of the mirrored records, newest first. */
export async function listLocalReleases(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : Promise.reject(error)));
  return names.filter((n) => n.startsWith('r-') && n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length)).sort().reverse();
}
