/**
 * Traffic weights for canaries as Fabio manual overrides: one `route weight` line in a Consul KV
 * key of its own under Fabio's kvpath prefix, which Fabio concatenates with the other keys there
 * (alphabetically) and applies after the routes it builds from `urlprefix-` tags. Unpromoted
 * canaries carry the `canary` tag (render/fabio-tags.ts), so `tags "canary"` selects exactly them.
 * @see shared/reference/fabio.md §1.4 (KV) and §4 (route language)
 */
import type { ConsulClient } from '../clients/consul/index.ts';
import { CANARY_TAG } from '../render/fabio-tags.ts';
import { FABIO_KV_PATH } from '../render/fabio-constants.ts';
import { parseRouteCommand } from './route-grammar.ts';

/** Input of {@link renderWeightRule}. */
export interface WeightRule {
  /** The Consul service name (Fabio's route service). */
  readonly service: string;
  /** The route source as in the urlprefix tag: `/api`, `shop.example.com/api` or `:3306`. */
  readonly routeSource: string;
  /** Share of the route's traffic for the tagged targets, 0 < weight ≤ 1 (`0.05` = 5 %). */
  readonly weight: number;
  /** @default "canary" */
  readonly tag?: string;
}

/** Where one job's canary rule lives, per environment. */
export interface CanaryRuleTarget {
  readonly env: string;
  readonly job: string;
}

/** Most decimals a weight is written with; finer steps than 0.01 % make no difference to Fabio. */
const WEIGHT_DECIMALS = 4;

/**
 * `route weight <svc> <src> weight <w> tags "<tag>"`: the tagged targets share `w` of the route's
 * traffic, the others `1 - w`. Weight 0 is refused: Fabio reads `w <= 0` as "no fixed weight"
 * (an even spread), the opposite of draining. Throws `RangeError` on input Fabio would misread.
 */
export function renderWeightRule(rule: WeightRule): string {
  const tag = rule.tag ?? CANARY_TAG;
  if (!/^\S+$/.test(rule.service)) throw new RangeError(`service "${rule.service}" must be one word`);
  if (!/^(?::\d+|[^\s/]*\/\S*)$/.test(rule.routeSource)) throw new RangeError(`route source "${rule.routeSource}" must be /path, host/path or :port`);
  if (!/^[^\s",]+$/.test(tag)) throw new RangeError(`tag "${tag}" must not contain spaces, quotes or commas`);
  const weight = formatWeight(rule.weight);
  if (weight === '0') throw new RangeError(`weight ${rule.weight} rounds to 0, which Fabio reads as "no fixed weight"`);
  const line = `route weight ${rule.service} ${rule.routeSource} weight ${weight} tags "${tag}"`;
  // Belt and braces: every line drover writes must parse under the grammar it is checked against.
  const parsed = parseRouteCommand(line);
  if (!parsed.ok) throw new RangeError(parsed.error);
  return line;
}

/** A weight in 0..1 as Fabio reads it: at most 4 decimals, no trailing zeros, never exponent notation. */
export function formatWeight(weight: number): string {
  if (!Number.isFinite(weight) || weight < 0 || weight > 1) throw new RangeError(`weight must be between 0 and 1, got ${weight}`);
  // toFixed never uses exponent notation in this range; Number() then String() drops trailing zeros.
  return String(Number(weight.toFixed(WEIGHT_DECIMALS)));
}

/** The KV key of one job's canary rule: `fabio/config/drover-canary-<env>-<job>`. */
export function canaryRuleKey(target: CanaryRuleTarget): string {
  for (const [what, value] of Object.entries(target)) {
    if (!/^[A-Za-z0-9_.-]+$/.test(value)) throw new RangeError(`${what} "${value}" cannot be part of a Consul key here`);
  }
  return `${FABIO_KV_PATH.replace(/^\/+/, '')}/drover-canary-${target.env}-${target.job}`;
}

/** The KV value: a comment saying who wrote it (Fabio skips `#` lines), then the rule. */
export function renderRuleValue(target: CanaryRuleTarget, rule: string): string {
  return `# drover canary of job ${target.job} in ${target.env}; removed when the canary ends\n${rule}\n`;
}

/** Writes (or replaces) the job's canary rule. Fabio picks it up through its blocking KV watch. */
export async function writeWeightRule(consul: Pick<ConsulClient, 'kv'>, target: CanaryRuleTarget, rule: string, opts: { readonly signal?: AbortSignal } = {}): Promise<string> {
  const key = canaryRuleKey(target);
  await consul.kv.set(key, renderRuleValue(target, rule), opts.signal ? { signal: opts.signal } : {});
  return key;
}

/**
 * Deletes the job's canary rule; deleting a missing key is fine. Takes no AbortSignal on purpose:
 * this runs while unwinding an aborted canary and must still reach Consul, bounded by `timeoutMs`.
 */
export async function removeWeightRule(consul: Pick<ConsulClient, 'kv'>, target: CanaryRuleTarget, opts: { readonly timeoutMs?: number } = {}): Promise<string> {
  const key = canaryRuleKey(target);
  await consul.kv.delete(key, { timeoutMs: opts.timeoutMs ?? 5000 });
  return key;
}
