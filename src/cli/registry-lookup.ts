/**
 * The registry side of digest pinning: one registry client per host the environment lists, with
 * credentials from Docker's config.json, answering the pipeline's digest lookups.
 */
import { createRegistryClient, type RegistryClient } from '../clients/registry/index.ts';
import type { Environment, RegistryTarget } from '../config/environment.ts';
import type { DigestLookup } from '../release/digests.ts';
import type { Report } from '../report/events.ts';
import { retryReporter } from './clients.ts';
import { credentialsFor, readDockerConfig } from './docker-config.ts';
import { withErrorOrigin } from './origin.ts';
import type { CliIo } from './io.ts';

/** Docker Hub's API host; `docker.io` in references is only its name. */
const DOCKER_HUB_API = 'https://registry-1.docker.io';

/**
 * Opens a digest lookup over the environment's registries (`undefined` without registries): the
 * pipeline calls `open` only when it has tags to pin, so Docker's config.json is read then and
 * not, say, for a prod deploy that runs its release's pins. `close` closes every client opened.
 */
export function registryLookup(env: Environment, io: CliIo, report: Report): { readonly open: (() => DigestLookup) | undefined; close(): void } {
  const clients = new Map<string, RegistryClient>();
  const close = () => {
    for (const client of clients.values()) client.close();
  };
  if (env.registries.length === 0) return { open: undefined, close };
  const open = (): DigestLookup => {
    const dockerConfig = readDockerConfig(io.env, env.registries.map((r) => r.host));
    const clientFor = (host: string): RegistryClient => {
      const known = clients.get(host);
      if (known) return known;
      const target = env.registries.find((r) => r.host === host)!;
      const credentials = credentialsFor(dockerConfig, host);
      const address = registryAddress(target);
      const client = withErrorOrigin(createRegistryClient({ address, host, ...(credentials ? { credentials } : {}), onRetry: retryReporter(report) }), {
        name: `Registry ${host}`,
        address,
        // The registry is listed in the environment file; credentials come from Docker's config.json,
        // not a variable, so no tokenVariable: the client's own hint says how to log in.
        addressFrom: `registries in environments/${env.name}.ts`,
      });
      clients.set(host, client);
      return client;
    };
    return (host, image, signal) => clientFor(host).manifestDigest(image.name, image.tag!, signal ? { signal } : {});
  };
  return { open, close };
}

/** The API base URL of a registry entry. */
export function registryAddress(target: RegistryTarget): string {
  return target.address ?? (target.host === 'docker.io' ? DOCKER_HUB_API : `https://${target.host}`);
}
