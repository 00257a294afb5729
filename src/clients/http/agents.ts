/**
 * Connection pools for one client: keep-alive agents, with the custom CA and the client
 * certificate (mutual TLS) that HashiCorp clusters commonly require (`NOMAD_CACERT`,
 * `NOMAD_CLIENT_CERT`, `NOMAD_CLIENT_KEY`, `VAULT_CACERT`, read by cli/).
 * @see https://developer.hashicorp.com/nomad/docs/commands#mtls-environment-variables
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

/** TLS material as PEM text (file contents, not paths). */
export interface TlsOptions {
  /** CA bundle that signed the server certificate. @default Node's bundled roots */
  readonly caCert?: string | Buffer;
  /** Client certificate for mutual TLS; needs `clientKey`. */
  readonly clientCert?: string | Buffer;
  /** Private key of `clientCert`. */
  readonly clientKey?: string | Buffer;
}

/** One agent per scheme; whichever matches the address is used. */
export interface Agents {
  readonly httpAgent: HttpAgent;
  readonly httpsAgent: HttpsAgent;
  /** Closes pooled sockets; in-flight requests are cut. */
  destroy(): void;
}

/** Builds the agents. `keepAlive: false` gives one socket per request, which abort can cut without touching others. */
export function createAgents(tls: TlsOptions, options: { readonly keepAlive?: boolean } = {}): Agents {
  if ((tls.clientCert === undefined) !== (tls.clientKey === undefined)) {
    throw new TypeError('clientCert and clientKey must be given together');
  }
  const keepAlive = options.keepAlive ?? true;
  const httpAgent = new HttpAgent({ keepAlive });
  const httpsAgent = new HttpsAgent({
    keepAlive,
    ...(tls.caCert === undefined ? {} : { ca: tls.caCert }),
    ...(tls.clientCert === undefined ? {} : { cert: tls.clientCert }),
    ...(tls.clientKey === undefined ? {} : { key: tls.clientKey }),
  });
  return {
    httpAgent,
    httpsAgent,
    destroy: () => {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
