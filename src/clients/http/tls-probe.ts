/**
 * Connects to a listener with TLS, verifying its certificate against a CA and its name against the
 * address, and reports what the handshake showed. Nothing is sent after the handshake.
 */
import { checkServerIdentity, connect } from 'node:tls';

/** What one handshake showed. */
export type TlsProbe =
  | { readonly kind: 'verified'; readonly protocol: string; readonly subject: string }
  /** The listener speaks TLS, but its certificate does not verify against the CA or the name. */
  | { readonly kind: 'unverified'; readonly reason: string }
  /** No TLS there (plain HTTP answered), or nothing listening. */
  | { readonly kind: 'no-tls' | 'unreachable'; readonly reason: string };

/** Handshakes with `address` (`https://host:port`); `ca` is the PEM the cluster's certificates chain to. */
export function probeTls(address: string, ca: string | Buffer, timeoutMs = 5000): Promise<TlsProbe> {
  const url = new URL(address);
  const port = Number(url.port || 443);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const isIp = /^[\d.]+$|:/.test(host);
    const socket = connect({ host, port, ca, ...(isIp ? {} : { servername: host }), rejectUnauthorized: false, timeout: timeoutMs });
    const done = (probe: TlsProbe): void => {
      socket.destroy();
      resolve(probe);
    };
    socket.once('secureConnect', () => {
      if (!socket.authorized) return done({ kind: 'unverified', reason: String(socket.authorizationError) });
      const certificate = socket.getPeerCertificate();
      // Node checks the chain when authorized, the name only through checkServerIdentity.
      const nameError = checkServerIdentity(host, certificate);
      if (nameError) return done({ kind: 'unverified', reason: nameError.message });
      done({ kind: 'verified', protocol: socket.getProtocol() ?? '', subject: [certificate.subject?.CN ?? ''].flat().join(',') });
    });
    socket.once('timeout', () => done({ kind: 'unreachable', reason: `no TLS handshake within ${timeoutMs} ms` }));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? '';
      if (['ECONNREFUSED', 'EHOSTUNREACH', 'ENOTFOUND', 'ETIMEDOUT'].includes(code)) return done({ kind: 'unreachable', reason: `${code} ${host}:${port}` });
      // A plain-HTTP listener answers the ClientHello with garbage or a reset: "wrong version number".
      done({ kind: 'no-tls', reason: error.message });
    });
  });
}
