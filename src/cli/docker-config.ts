/**
 * Registry credentials from Docker's client configuration (`$DOCKER_CONFIG/config.json`, default
 * `~/.docker/config.json`), the file `docker login` writes: drover needs no credentials of its own
 * and never stores any. Only inline `auths` entries are read; credential helpers (`credsStore`,
 * `credHelpers`) are not run.
 * @see https://docs.docker.com/reference/cli/docker/#configuration-files
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RegistryCredentials } from '../clients/registry/index.ts';
import { DroverError, ExitCode } from '../errors.ts';

/** Docker Hub's key in `auths`, as `docker login` writes it. */
const DOCKER_HUB_KEYS: readonly string[] = ['https://index.docker.io/v1/', 'index.docker.io', 'registry-1.docker.io', 'docker.io'];

/** Where the configuration lives for these environment variables, or undefined without a home. */
export function dockerConfigPath(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.DOCKER_CONFIG) return join(env.DOCKER_CONFIG, 'config.json');
  return env.HOME ? join(env.HOME, '.docker', 'config.json') : undefined;
}

/** The credentials `config` (parsed config.json) holds for `host`, if any. Pure. */
export function credentialsFor(config: unknown, host: string): RegistryCredentials | undefined {
  const auths = (config as { auths?: unknown } | null)?.auths;
  if (auths === null || typeof auths !== 'object') return undefined;
  const keys = host === 'docker.io' ? DOCKER_HUB_KEYS : [host, `https://${host}`, `http://${host}`, `https://${host}/v1/`, `https://${host}/v2/`];
  for (const key of keys) {
    const entry = (auths as Record<string, unknown>)[key];
    if (entry === null || typeof entry !== 'object') continue;
    const { auth, username, password } = entry as { auth?: unknown; username?: unknown; password?: unknown };
    if (typeof auth === 'string' && auth) {
      const decoded = Buffer.from(auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    if (typeof username === 'string' && typeof password === 'string' && username) return { username, password };
  }
  return undefined;
}

/**
 * Reads and parses the configuration; undefined when there is none. A file that is not JSON is an
 * error naming the file, never its content; `hosts` (the registries about to be asked) make its
 * hint a runnable `docker login`.
 */
export function readDockerConfig(env: Readonly<Record<string, string | undefined>>, hosts: readonly string[] = []): unknown {
  const path = dockerConfigPath(env);
  if (!path) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DroverError(`Cannot read Docker's configuration ${path}`, ExitCode.usage, { hint: 'Fix its permissions, or point DOCKER_CONFIG at a directory holding a readable config.json.' });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const login = hosts.length ? `, then log in again with ${hosts.map((h) => `\`docker login ${h}\``).join(' and ')}` : ' (then log in again with `docker login`)';
    throw new DroverError(`Docker's configuration ${path} is not JSON`, ExitCode.usage, { hint: `Repair or remove ${path}${login}; or point DOCKER_CONFIG elsewhere.` });
  }
}
