import type { Diagnostic } from '../diagnostic.ts';
import { problem } from '../rule.ts';
import { field } from './lib/index.ts';
import type { EnvironmentRule } from './lib/environment-rule.ts';

const ID = 'env/address';
const ADDRESSES = ['nomad', 'consul', 'vault', 'prometheus'] as const;

/** Why `value` is not a usable API base URL; never quotes the value (it may hold credentials). */
export function addressProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'is not a URL';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `uses ${url.protocol.slice(0, -1)}, not http or https`;
  if (url.username || url.password) return 'contains credentials';
  if (url.search || url.hash) return 'has a query string or fragment';
  return undefined;
}

/** Fabio's `registry.consul.addr`: `host:port`, optionally with an http(s) scheme. */
function consulAgentProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return 'is not host:port';
  if (/^https?:\/\//.test(value)) return addressProblem(value);
  return /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:]+\]:\d{1,5}$/.test(value) ? undefined : 'is not host:port';
}

/** Addresses are committed to git: credentials belong in NOMAD_TOKEN, CONSUL_HTTP_TOKEN, VAULT_TOKEN. */
export const envAddressRule: EnvironmentRule = {
  id: ID,
  description: 'Nomad, Consul, Vault and Prometheus addresses are http(s) URLs without credentials, query or fragment; Fabio\'s Consul address is host:port.',
  check({ env, file }) {
    const fromServices = ADDRESSES.flatMap((service): Diagnostic[] => {
      const block = field(env, service);
      if (service === 'prometheus' && block === undefined) return [];
      const reason = addressProblem(field(block, 'address'));
      if (!reason) return [];
      const hint = reason === 'contains credentials'
        ? `Remove the user and password; drover reads tokens from the shell (e.g. ${service.toUpperCase()}_TOKEN), never from environment files.`
        : `Write the base URL, e.g. "https://${service}.example.internal".`;
      return [problem(ID, { file, path: `${service}.address` }, `The ${service} address ${reason}`, hint)];
    });
    const agentReason = consulAgentProblem(field(field(env, 'fabio'), 'consulAddress'));
    if (!agentReason) return fromServices;
    return [...fromServices, problem(ID, { file, path: 'fabio.consulAddress' }, `fabio.consulAddress ${agentReason}`, 'Write the node-local Consul agent as host:port, e.g. "127.0.0.1:8500" (tokens come from the Fabio job, not this file).')];
  },
};
