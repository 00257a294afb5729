/**
 * Maps a failure that produced no HTTP response (refused, reset, timed out, TLS) onto ApiError.
 * Works on axios errors and plain Node errors alike by reading only `code` and `message`.
 *
 * The original error is never kept as `cause`: an AxiosError carries `config.headers` and the
 * `ClientRequest`, both holding the token header, so printing or serializing it would print the
 * token. A fresh Error with the redacted message and the code takes its place.
 */
import { ApiError, type ServiceName } from '../api-error.ts';
import { redactText } from '../redact.ts';

/** What was being sent, for the error (the path must already be free of secrets). */
export interface RequestDescription {
  readonly service: ServiceName;
  readonly method: string;
  readonly path: string;
}

/** Network failure → `ApiError` with `status: undefined` and a `code` such as ECONNRESET or ETIMEDOUT. */
export function networkApiError(error: unknown, request: RequestDescription, secrets: readonly string[]): ApiError {
  const message = redactText(messageOf(error), secrets);
  const code = networkCode(error);
  const cause = Object.assign(new Error(message), { code });
  return new ApiError({ ...request, path: redactText(request.path, secrets), status: undefined, code, cause });
}

/**
 * The error's code, normalised: axios reports its own timeout as `ECONNABORTED` (unless
 * `clarifyTimeoutError` is set, which node-vault's axios instance does not do) and a reset socket
 * as `ECONNRESET` with the message "socket hang up".
 */
export function networkCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'EUNEXPECTED';
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const message = messageOf(error);
  if (code === 'ECONNABORTED' && /timeout/i.test(message)) return 'ETIMEDOUT';
  // A response body cut mid-way (the peer reset or closed the socket).
  if (code === 'ERR_STREAM_PREMATURE_CLOSE') return 'ECONNRESET';
  if (code) return code;
  if (/socket hang up|aborted/i.test(message)) return 'ECONNRESET';
  return 'EUNEXPECTED';
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'unknown failure';
}
