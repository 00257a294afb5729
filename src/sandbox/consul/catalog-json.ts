/**
 * Catalog and health JSON exactly as a Consul 1.8.7 agent renders it (checked field by field in
 * test/contract/consul-oracle.test.ts). Notable: tagged service addresses use `Address`/`Port`
 * (the 1.22 docs sample shows lower-case `address`/`port`); they are omitted when the service has no
 * address of its own; `ServiceMeta` is `{}` in the catalog but `Service.Meta` is `null` in health
 * answers for a service registered without meta; OSS agents send no `Namespace`.
 */
import type { CheckRecord, NodeRecord, ServiceRecord } from './catalog-store.ts';

const NODE_META = { 'consul-network-segment': '' };
const PROXY = { MeshGateway: {}, Expose: {} };
const WEIGHTS = { Passing: 1, Warning: 1 };

function nodeTaggedAddresses(address: string): Record<string, string> {
  return { lan: address, lan_ipv4: address, wan: address, wan_ipv4: address };
}

/** `lan_ipv4`/`wan_ipv4` (or `_ipv6`) copies of the service address the agent adds; none without one. */
function serviceTaggedAddresses(service: ServiceRecord): Record<string, { Address: string; Port: number }> | undefined {
  if (service.address === '') return undefined;
  const family = service.address.includes(':') ? 'ipv6' : 'ipv4';
  const tagged = { Address: service.address, Port: service.port };
  return { [`lan_${family}`]: tagged, [`wan_${family}`]: tagged };
}

/** `Node` of a health entry. */
export function healthNodeJson(node: NodeRecord, datacenter: string): Record<string, unknown> {
  return {
    ID: node.id,
    Node: node.name,
    Address: node.address,
    Datacenter: datacenter,
    TaggedAddresses: nodeTaggedAddresses(node.address),
    Meta: NODE_META,
    CreateIndex: node.createIndex,
    ModifyIndex: node.modifyIndex,
  };
}

/** One element of `GET /v1/catalog/service/:name`. */
export function catalogServiceJson(node: NodeRecord, service: ServiceRecord, datacenter: string): Record<string, unknown> {
  const tagged = serviceTaggedAddresses(service);
  return {
    ID: node.id,
    Node: node.name,
    Address: node.address,
    Datacenter: datacenter,
    TaggedAddresses: nodeTaggedAddresses(node.address),
    NodeMeta: NODE_META,
    ServiceKind: '',
    ServiceID: service.id,
    ServiceName: service.name,
    ServiceTags: [...service.tags],
    ServiceAddress: service.address,
    ...(tagged ? { ServiceTaggedAddresses: tagged } : {}),
    ServiceWeights: WEIGHTS,
    ServiceMeta: service.meta ?? {},
    ServicePort: service.port,
    ServiceEnableTagOverride: false,
    ServiceProxy: PROXY,
    ServiceConnect: {},
    CreateIndex: service.createIndex,
    ModifyIndex: service.modifyIndex,
  };
}

/** `Service` of a health entry (the name is in `Service`, not `Name`). */
export function healthServiceJson(service: ServiceRecord): Record<string, unknown> {
  const tagged = serviceTaggedAddresses(service);
  return {
    ID: service.id,
    Service: service.name,
    Tags: [...service.tags],
    Address: service.address,
    ...(tagged ? { TaggedAddresses: tagged } : {}),
    Meta: service.meta,
    Port: service.port,
    Weights: WEIGHTS,
    EnableTagOverride: false,
    Proxy: PROXY,
    Connect: {},
    CreateIndex: service.createIndex,
    ModifyIndex: service.modifyIndex,
  };
}

/** A health check (`Definition` is `{}` on reads; the agent does not echo it back). */
export function checkJson(check: CheckRecord): Record<string, unknown> {
  return {
    Node: check.node,
    CheckID: check.checkId,
    Name: check.name,
    Status: check.status,
    Notes: check.notes,
    Output: check.output,
    ServiceID: check.serviceId,
    ServiceName: check.serviceName,
    ServiceTags: [...check.serviceTags],
    Type: check.type,
    Definition: {},
    CreateIndex: check.createIndex,
    ModifyIndex: check.modifyIndex,
  };
}
