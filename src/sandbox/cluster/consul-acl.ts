/**
 * Consul's auth methods and binding rules, as far as `drover cluster check` reads them and a test
 * (or terraform/modules/consul-nomad-workloads' calls) writes them. Status codes and bodies are
 * Consul 1.8.7's (pinned in test/integration/cluster-check-consul.test.ts): with ACLs off every
 * call is 401 `ACL support disabled`; an unknown method is an empty 404; its binding rules are
 * `[]`; a rule for an unknown method is 500 `cannot find auth method with name "<name>"`; deletes
 * answer `true`, even for what does not exist. Not simulated: logins, JWKS fetching (Consul checks
 * the JWKS URL when a method is written), selectors and bind-name validation.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseGoDuration } from '../consul/duration.ts';
import { sendJson, sendText } from '../http.ts';

type Json = Record<string, unknown>;

export interface ConsulAclStore {
  /** Answers `/v1/acl/auth-method…` and `/v1/acl/binding-rule…`; `false` for any other path. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer, access: 'disabled' | 'denied' | 'allowed'): boolean;
  reset(): void;
}

export function createConsulAclStore(): ConsulAclStore {
  const methods = new Map<string, Json>();
  let rules: Json[] = [];
  let index = 10;
  const stamped = (value: Json, previous?: Json): Json => ({ ...value, CreateIndex: previous?.['CreateIndex'] ?? ++index, ModifyIndex: previous ? ++index : index });
  const routes: { readonly pattern: RegExp; readonly method: string; readonly answer: (m: RegExpExecArray, url: URL, body: Json) => [number, unknown] }[] = [
    { pattern: /^\/v1\/acl\/auth-method\/(.+)$/, method: 'GET', answer: (m) => (methods.has(m[1]!) ? [200, methods.get(m[1]!)] : [404, undefined]) },
    { pattern: /^\/v1\/acl\/auth-method(?:\/(.+))?$/, method: 'PUT', answer: (m, _url, body) => {
      const name = m[1] ?? String(body['Name'] ?? '');
      const method = stamped(withGoDuration({ ...body, Name: name }), methods.get(name));
      methods.set(name, method);
      return [200, method];
    } },
    { pattern: /^\/v1\/acl\/auth-method\/(.+)$/, method: 'DELETE', answer: (m) => {
      methods.delete(m[1]!);
      rules = rules.filter((rule) => rule['AuthMethod'] !== m[1]);
      return [200, true];
    } },
    { pattern: /^\/v1\/acl\/binding-rules$/, method: 'GET', answer: (_m, url) => {
      const method = url.searchParams.get('authmethod');
      // Consul's state store iterates binding rules by ID.
      return [200, rules.filter((rule) => !method || rule['AuthMethod'] === method).sort((a, b) => String(a['ID']).localeCompare(String(b['ID'])))];
    } },
    { pattern: /^\/v1\/acl\/binding-rule$/, method: 'PUT', answer: (_m, _url, body) => {
      const method = String(body['AuthMethod'] ?? '');
      if (!methods.has(method)) return [500, `cannot find auth method with name ${JSON.stringify(method)}`];
      const rule = stamped({ ID: randomUUID(), Description: '', ...body });
      rules.push(rule);
      return [200, rule];
    } },
    { pattern: /^\/v1\/acl\/binding-rule\/(.+)$/, method: 'DELETE', answer: (m) => {
      rules = rules.filter((rule) => rule['ID'] !== m[1]);
      return [200, true];
    } },
  ];
  return {
    handle: (req, res, url, body, access) => {
      if (!/^\/v1\/acl\/(auth-method|binding-rule)/.test(url.pathname)) return false;
      if (access === 'disabled') return void sendText(res, 401, 'ACL support disabled'), true;
      if (access === 'denied') return void sendText(res, 403, 'Permission denied'), true;
      for (const route of routes) {
        const match = route.pattern.exec(url.pathname);
        if (!match || route.method !== req.method) continue;
        const [status, answer] = route.answer(match, url, parse(body));
        if (status === 404) return void (res.writeHead(404, { 'Content-Length': 0 }), res.end()), true;
        if (typeof answer === 'string') return void sendText(res, status, answer), true;
        return void sendJson(res, status, answer, { 'X-Consul-Index': String(index), 'X-Consul-Knownleader': 'true', 'X-Consul-Lastcontact': '0' }), true;
      }
      return false;
    },
    reset: () => {
      methods.clear();
      rules = [];
    },
  };
}

/** Consul answers `MaxTokenTTL` as Go prints a duration (`"1h"` → `"1h0m0s"`), and leaves out a zero one. */
function withGoDuration(method: Json): Json {
  const { MaxTokenTTL: ttl, ...rest } = method;
  const parsed = typeof ttl === 'string' ? parseGoDuration(ttl) : undefined;
  if (!parsed || 'error' in parsed) return method;
  return parsed.ns === 0 ? rest : { ...rest, MaxTokenTTL: goDuration(parsed.ns) };
}

/** Go's `time.Duration.String()` for whole seconds (what a token TTL is). */
function goDuration(ns: number): string {
  const seconds = Math.floor(ns / 1e9);
  if (seconds * 1e9 !== ns) return `${ns / 1e9}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h) return `${h}h${m}m${s}s`;
  return m ? `${m}m${s}s` : `${s}s`;
}

function parse(body: Buffer): Json {
  try {
    const value: unknown = JSON.parse(body.toString('utf8') || '{}');
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
  } catch {
    return {};
  }
}
