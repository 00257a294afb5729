/**
 * A sandbox made to look like a cluster definition for `drover cluster check`: the shape of its
 * agent reads taken from the definition, its Nomad, Consul and Vault APIs behind a TLS front
 * whose certificates a throw-away CA signed (openssl), and Vault's JWT auth pointed at the
 * sandbox Nomad's JWKS the way terraform/modules/vault-nomad-workloads configures it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cluster } from '../../src/config/cluster.ts';
import type { SandboxClientNode, SandboxClusterShape } from '../../src/sandbox/cluster/shape.ts';

/** The sandbox shape that matches `cluster`: declared servers and pool sizes, versions, ACLs and gossip on. */
export function shapeOf(cluster: Cluster, region = 'global'): SandboxClusterShape {
  const servers = cluster.servers.hosts?.map((h) => h.name) ?? Array.from({ length: cluster.servers.count }, (_, i) => `${cluster.env}-server-${i + 1}`);
  const clients: SandboxClientNode[] = cluster.clients.flatMap((pool) =>
    (pool.hosts?.map((h) => h.name) ?? Array.from({ length: pool.count }, (_, i) => `${pool.name}-${i + 1}`)).map((name) => ({
      name, nodePool: pool.nodePool, datacenter: pool.datacenter, ...(pool.nodeClass ? { nodeClass: pool.nodeClass } : {}), drivers: pool.drivers,
    })),
  );
  return {
    region, datacenter: cluster.servers.datacenter, servers, serversOutOfRaft: [], clients,
    versions: { nomad: cluster.versions.nomad, consul: cluster.versions.consul, vault: cluster.versions.openbao ?? cluster.versions.vault ?? '' },
    versionOverrides: {}, nodePools: [], acls: { nomad: true, consul: true }, gossipEncrypted: { nomad: true, consul: true },
    leaders: { nomad: true, consul: true }, vaultSealed: false, fabioUp: true, targetsDown: [],
  };
}

export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A CA and a certificate for 127.0.0.1 it signed, plus an unrelated CA (EC keys: fast). */
export interface TestPki {
  readonly dir: string;
  readonly caFile: string;
  readonly otherCaFile: string;
  readonly cert: string;
  readonly key: string;
  remove(): void;
}

export function makePki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'drover-cluster-pki-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  for (const ca of ['ca', 'other-ca']) ssl('req', '-x509', ...key, '-keyout', `${ca}.key`, '-out', `${ca}.pem`, '-days', '1', '-subj', `/CN=drover ${ca}`);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  ssl('req', ...key, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'server.ext');
  return {
    dir, caFile: join(dir, 'ca.pem'), otherCaFile: join(dir, 'other-ca.pem'),
    cert: readFileSync(join(dir, 'server.pem'), 'utf8'), key: readFileSync(join(dir, 'server.key'), 'utf8'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** An HTTPS listener on 127.0.0.1 passing every request on to `target` (a plain-HTTP sandbox service). */
export async function tlsFront(target: string, pki: TestPki): Promise<{ address: string; close(): Promise<void> }> {
  const upstream = new URL(target);
  const server: Server = createServer({ cert: pki.cert, key: pki.key }, (req, res) => {
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
