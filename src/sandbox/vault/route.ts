/**
 * How a request reaches a backend. Vault decides create-vs-update by asking the backend whether the
 * resource exists (its existence check), checks the ACL for that operation, then runs the handler;
 * routes here expose the same two steps.
 */
import type { Reply } from './http.ts';
import { errors } from './http.ts';
import type { VaultToken } from './tokens.ts';

/** The request as handlers see it. `write` is POST/PUT (create or update). */
export interface RouteInput {
  readonly op: 'read' | 'list' | 'write' | 'delete' | 'patch';
  readonly url: URL;
  readonly body: Record<string, unknown>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly token: VaultToken;
}

/** A resolved path inside a mount. */
export interface Route {
  /** The existence check; without one a write is an `update`, as in Vault. */
  readonly exists?: () => boolean;
  run(input: RouteInput): Reply | Promise<Reply>;
}

/** A path that exists but does not support the method. */
export const UNSUPPORTED_OPERATION: Reply = errors(405, '1 error occurred:\n\t* unsupported operation\n\n');

/** A path inside a mount that no handler serves. */
export const UNSUPPORTED_PATH: Reply = errors(404, '1 error occurred:\n\t* unsupported path\n\n');
