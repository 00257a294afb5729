/**
 * Catalog, health and sessions.
 * @see https://developer.hashicorp.com/consul/api-docs/catalog
 * @see https://developer.hashicorp.com/consul/api-docs/health
 * @see https://developer.hashicorp.com/consul/api-docs/session
 */
import { read, write, type Deps } from './call.ts';
import { toCatalogServices, toServiceEntries, toServiceTags, toSession, toSessionId } from './narrow.ts';
import type { ConsulClient } from './types.ts';

/** Builds the `catalog` group. */
export function createCatalog(deps: Deps): ConsulClient['catalog'] {
  const { pkg } = deps;
  return {
    services: (opts = {}) =>
      read(deps, { path: '/v1/catalog/services' }, opts, (call) => pkg.catalog.service.list(call), (answer) => ({
        value: toServiceTags(answer.body),
        index: answer.index,
      })),
    service: (name, opts = {}) =>
      read(deps, { path: `/v1/catalog/service/${name}` }, opts, (call) => pkg.catalog.service.nodes({ ...call, service: name }), (answer) => ({
        value: toCatalogServices(answer.body),
        index: answer.index,
      })),
  };
}

/** Builds the `health` group. */
export function createHealth(deps: Deps): ConsulClient['health'] {
  const { pkg } = deps;
  return {
    service: (name, opts = {}) =>
      read(
        deps,
        { path: `/v1/health/service/${name}${opts.passingOnly ? '?passing' : ''}` },
        opts,
        (call) => pkg.health.service({ ...call, service: name, ...(opts.passingOnly ? { passing: true } : {}) }),
        (answer) => ({ value: toServiceEntries(answer.body), index: answer.index }),
      ),
  };
}

/** Builds the `sessions` group. */
export function createSessions(deps: Deps): ConsulClient['sessions'] {
  const { pkg } = deps;
  return {
    create: (opts) =>
      write(
        deps,
        { method: 'PUT', path: '/v1/session/create' },
        opts,
        (call) =>
          pkg.session.create({
            ...call,
            name: opts.name,
            ...(opts.ttl ? { ttl: opts.ttl } : {}),
            ...(opts.behavior ? { behavior: opts.behavior } : {}),
            ...(opts.lockDelay ? { lockdelay: opts.lockDelay } : {}),
            ...(opts.checks ? { checks: opts.checks } : {}),
          }),
        (answer) => toSessionId(answer.body),
      ),
    // renew answers `[Session]`; node-consul hands the array through unchanged.
    renew: (id, opts = {}) =>
      write(deps, { method: 'PUT', path: `/v1/session/renew/${id}` }, opts, (call) => pkg.session.renew({ ...call, id }), (answer) =>
        toSession(Array.isArray(answer.body) ? answer.body[0] : answer.body),
      ),
    destroy: (id, opts = {}) =>
      write(deps, { method: 'PUT', path: `/v1/session/destroy/${id}` }, opts, (call) => pkg.session.destroy({ ...call, id }), () => undefined),
    // info answers `[Session]`, or `[]` for an unknown ID; node-consul unwraps the first element
    // and resolves `[response]` alone when there is none.
    info: (id, opts = {}) =>
      read(deps, { path: `/v1/session/info/${id}` }, opts, (call) => pkg.session.info({ ...call, id }), (answer) => ({
        value: answer.body === undefined ? null : toSession(answer.body),
        index: answer.index,
      })),
  };
}
