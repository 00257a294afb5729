/**
 * The second place that reads Nomad error text (the first is check-index.ts): a refusal a server
 * forwarded for a client node. A Nomad server handling a client-side streaming request for a node
 * (`GET /v1/client/fs/logs/:alloc`, `/v1/client/fs/stream/:alloc`) refuses a token that lacks the
 * capability with **HTTP 500** and the bare text `Permission denied`: its streaming endpoint passes
 * `ErrPermissionDenied` on without a code, and the HTTP agent falls back to 500. The client agent,
 * asked directly, answers the same request 403. Measured on Nomad 2.0.5 (a server-only agent plus
 * a client agent, token with `read-job` only): through the server logs and stream answer 500; ls,
 * stat, restart, signal and gc answer 403; through the client agent every one answers 403.
 * @see https://developer.hashicorp.com/nomad/api-docs/client
 */
import type { ApiErrorInit } from '../api-error.ts';

/** Nomad's `structs.ErrPermissionDenied` text, which is the whole body of such an answer. */
const PERMISSION_DENIED = 'Permission denied';

/**
 * The 403 a forwarded refusal stands for, or `undefined` when `init` is anything else. Only a 500
 * whose whole body, trimmed, is `Permission denied` qualifies; any method, any path.
 * @example forwardedDenial({ service: 'nomad', method: 'GET', path: '/v1/client/fs/logs/a1', status: 500, body: 'Permission denied' })
 *   // → the same init with status 403
 */
export function forwardedDenial(init: ApiErrorInit & { readonly body: string }): ApiErrorInit | undefined {
  if (init.status !== 500 || init.body.trim() !== PERMISSION_DENIED) return undefined;
  return { ...init, status: 403 };
}
