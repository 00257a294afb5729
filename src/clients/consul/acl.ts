/**
 * ACL reads `drover cluster check` makes: a JWT auth method and its binding rules. Both need a
 * token with `acl = "read"`; an agent with ACLs off answers 401 `ACL support disabled`, which
 * stays an ApiError like any other refusal (callers branch on its status).
 * @see https://developer.hashicorp.com/consul/api-docs/acl/auth-methods
 * @see https://developer.hashicorp.com/consul/api-docs/acl/binding-rules
 */
import type * as W from '../../wire/cluster-agents.ts';
import { list, obj, ShapeError as HttpShapeError, str, strings, type Shape } from '../http/shape.ts';
import { read, type Deps } from './call.ts';
import { ShapeError } from './narrow.ts';
import type { ConsulClient, ReadOptions } from './types.ts';

const authMethod: Shape<W.ConsulAclAuthMethod> = obj({
  Name: str,
  Type: str,
  Config: obj<W.ConsulJwtAuthMethodConfig>({ JWKSURL: str, JWTValidationPubKeys: strings, OIDCDiscoveryURL: str, BoundAudiences: strings }),
});
const bindingRule: Shape<W.ConsulAclBindingRule> = obj({ ID: str, AuthMethod: str, Selector: str, BindType: str, BindName: str });

/** Builds the `acl` group. */
export function createAclReads(deps: Deps): Pick<ConsulClient, 'acl'> {
  return {
    acl: {
      authMethod: (name, opts: ReadOptions = {}) => {
        // An unknown method is a 404 with an empty body (Consul 1.8.7).
        return read(deps, { path: `/v1/acl/auth-method/${encodeURIComponent(name)}`, notFoundIsAnswer: true }, opts,
          (call) => deps.pkg._get({ ...call, name: 'acl.authMethod', path: '/acl/auth-method/{name}', params: { name } }),
          (answer) => (answer.status === 404 ? null : narrow(authMethod, answer.body)));
      },
      bindingRules: (method, opts: ReadOptions = {}) => {
        // An unknown method has no rules: 200 `[]`.
        return read(deps, { path: `/v1/acl/binding-rules?authmethod=${encodeURIComponent(method)}` }, opts,
          (call) => deps.pkg._get({ ...call, name: 'acl.bindingRules', path: '/acl/binding-rules', query: { authmethod: method } }),
          (answer) => narrow(list(bindingRule), answer.body));
      },
    },
  };
}

/** The shared combinators throw their own ShapeError; the Consul client maps its own onto ApiError. */
function narrow<T>(shape: Shape<T>, body: unknown): T {
  try {
    return shape(body, 'response');
  } catch (error) {
    throw error instanceof HttpShapeError ? new ShapeError(error.detail) : error;
  }
}
