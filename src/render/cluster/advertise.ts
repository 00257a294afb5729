import type { Cluster } from '../../config/cluster.ts';
import type { Role } from './roles.ts';

/** How a kind of machine's Nomad and Consul agents find the address they advertise. */
export interface AdvertiseAddress {
  /** A go-sockaddr template, evaluated by each agent at start. */
  readonly template: string;
  /** What it selects, for the comment above it. */
  readonly selects: string;
}

/**
 * The address a kind of machine's agents advertise. Bound to 0.0.0.0 without one, Consul refuses
 * to start on a host with a second private IPv4 address (docker0 on every client with the docker
 * driver: "Multiple private IPv4 addresses found") and Nomad may advertise the wrong one.
 *
 * Files are rendered per kind of machine, not per host, so no literal address can be written:
 * on-prem the template picks, among the machine's addresses, one the cluster definition gives a
 * host of this role (go-sockaddr matches `address` against `ip/prefix`, hence `(/|$)`); on AWS,
 * or with hosts given by name, the IPv4 address of the default-route interface.
 * @see https://pkg.go.dev/github.com/hashicorp/go-sockaddr/template
 */
export function advertiseAddress(cluster: Cluster, role: Role): AdvertiseAddress {
  const hosts = (role.server ? cluster.servers.hosts : role.pool.hosts) ?? [];
  const addresses = [...new Set(hosts.map((host) => host.address))];
  if (cluster.platform.kind === 'aws' || addresses.length === 0 || !addresses.every(isIpv4)) {
    return { template: '{{ GetDefaultInterfaces | include "type" "IPv4" | attr "address" }}', selects: 'the IPv4 address of the default-route interface' };
  }
  const pattern = `^(${addresses.map((a) => a.replace(/\./g, '[.]')).join('|')})(/|$)`;
  return { template: `{{ GetAllInterfaces | include "address" "${pattern}" | attr "address" }}`, selects: `the address the cluster definition gives this machine (one of its ${role.name} hosts')` };
}

function isIpv4(address: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(address);
}
