import type { Diagnostic } from '../diagnostic.ts';
import { problem } from '../rule.ts';
import { field, show } from './lib/index.ts';
import { addressProblem } from './env-address.ts';
import type { EnvironmentRule } from './lib/environment-rule.ts';

const ID = 'env/registries';
/** A host as image references write it: DNS name or IPv4, optional port (`localhost:5000`). */
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\d{1,5})?$/;

/** Why `value` is not a registry API base URL: `env/address`'s reasons, plus a path (drover adds /v2/). */
function registryAddressProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const reason = addressProblem(value);
  if (reason) return reason;
  return new URL(value as string).pathname.replace(/\/+$/, '') === '' ? undefined : 'has a path (give the base URL; drover adds /v2/)';
}

/**
 * Digest lookups need a host that image references can name, once, and an API base URL without
 * credentials (those come from Docker's config.json at run time).
 */
export const envRegistriesRule: EnvironmentRule = {
  id: ID,
  description: 'registries: a list of { host, address? }, each host once, written as image references name it; addresses are http(s) base URLs without credentials.',
  check({ env, file }) {
    const registries = field(env, 'registries');
    if (registries === undefined) return [];
    if (!Array.isArray(registries)) return [problem(ID, { file, path: 'registries' }, 'registries is not a list', 'Write registries: [{ host: "ghcr.io" }].')];
    const seen = new Set<string>();
    return registries.flatMap((entry: unknown, i): Diagnostic[] => {
      const host = field(entry, 'host');
      const path = `registries[${i}]`;
      if (typeof host !== 'string' || !HOST.test(host)) {
        return [problem(ID, { file, path: `${path}.host` }, `Registry host ${show(host)} is not a host as image references write it`, 'Write the host (and port) only, lower-case, e.g. "ghcr.io" or "registry.acme.internal:5000"; "docker.io" for Docker Hub.')];
      }
      const out: Diagnostic[] = [];
      if (seen.has(host)) out.push(problem(ID, { file, path: `${path}.host` }, `Registry ${host} is listed twice`, 'Keep one entry per host.'));
      seen.add(host);
      const reason = registryAddressProblem(field(entry, 'address'));
      if (reason) {
        const hint = reason === 'contains credentials'
          ? 'Remove the user and password; drover reads registry credentials from Docker\'s config.json ($DOCKER_CONFIG), never from environment files.'
          : `Write the base URL, e.g. "https://${host}".`;
        out.push(problem(ID, { file, path: `${path}.address` }, `The address of registry ${host} ${reason}`, hint));
      }
      return out;
    });
  },
};
