/**
 * Gives a client's connection and auth errors the origin of its address and token. The clients
 * know an address but not where it came from (NOMAD_ADDR, an environment file, the releases
 * variables); cli/ does, so it wraps each client it creates here instead of teaching every
 * transport about variables.
 */
import { ApiError, isDenied, withOrigin, type ServiceOrigin } from '../clients/api-error.ts';
import { ExitCode } from '../errors.ts';

/** Where `address` came from: `variable` when it is set in `processEnv`, else `fallback` (e.g. the environment file). */
export function addressFrom(processEnv: Readonly<Record<string, string | undefined>>, variable: string, fallback: string): string {
  return processEnv[variable] ? variable : fallback;
}

/**
 * `client` with every method's network (no response) and 401/403 ApiError carrying `origin`. Other
 * errors (404, 409, 5xx) pass unchanged: callers branch on them and their messages already say
 * what failed. Nested resource groups (`nomad.jobs`) are wrapped as they are read.
 */
export function withErrorOrigin<T extends object>(client: T, origin: ServiceOrigin): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value === 'function') return wrapFunction(value as (...args: unknown[]) => unknown, target, origin);
      if (isPlainGroup(value)) return withErrorOrigin(value, origin);
      return value;
    },
  });
}

function wrapFunction(fn: (...args: unknown[]) => unknown, self: object, origin: ServiceOrigin): (...args: unknown[]) => unknown {
  return (...args) => {
    let result: unknown;
    try {
      result = fn.apply(self, args);
    } catch (error) {
      throw located(error, origin);
    }
    return result instanceof Promise ? result.catch((error: unknown) => Promise.reject(located(error, origin))) : result;
  };
}

function located(error: unknown, origin: ServiceOrigin): unknown {
  // A request drover never sent (exit 70) is a bug, not a connection problem.
  if (!(error instanceof ApiError) || !((error.isNetworkError && error.exitCode === ExitCode.unreachable) || isDenied(error.status))) return error;
  return withOrigin(error, origin);
}

/** A resource group of a client (a plain object of methods), not a promise, stream or class instance. */
function isPlainGroup(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
