/**
 * What a simulated application instance answers: a real example app (examples/apps/) when the
 * behaviour names one, with the scripted faults on top; otherwise whatever a test or the demo
 * scripted here. Pure: no sockets, no clock.
 */
import type { Answer } from '../../../examples/apps/shared/answers.ts';
import { isErrorTurn } from '../../../examples/apps/shared/chaos.ts';
import { createRandom } from '../random.ts';
import { EXAMPLE_APP_NAMES, type ExampleAppName } from './real-apps.ts';

/** One scripted answer. */
export interface AppResponse {
  /** @default 200 */
  readonly status?: number;
  /** @default "ok" */
  readonly body?: string;
  /** @default "text/plain; charset=utf-8" */
  readonly contentType?: string;
}

/** Which instances of a service a behaviour applies to; `canary` = Consul tags include `canary`. */
export type InstanceSelector = 'all' | 'canary' | 'stable';

/** How every instance (or the canaries, or the stable ones) of a service answers. */
export interface AppBehaviour {
  /**
   * The example app (examples/apps/<app>) that answers what `responses` and `default` do not
   * script, counting every answer, scripted faults included, in the instance's `/metrics`. A
   * canary/stable behaviour without one takes the `all` behaviour's. @default none: scripted only
   */
  readonly app?: ExampleAppName;
  /** By exact request path (without the query string). */
  readonly responses?: Readonly<Record<string, AppResponse>>;
  /** Paths not in `responses`. @default the app's answer, or { status: 200, body: "ok" } without an app */
  readonly default?: AppResponse;
  /** Share of requests answered `503`, spread evenly (deterministic, not random). @default 0 */
  readonly errorRatio?: number;
  /** Real milliseconds before answering. @default 0 */
  readonly latencyMs?: number;
  /** @default "all" */
  readonly instances?: InstanceSelector;
}

/**
 * What one request gets: the example app's answer (`app`, unless `answer` replaces it), or a
 * scripted `answer`; either way after `latencyMs`.
 */
export type InstancePlan =
  | { readonly kind: 'app'; readonly app: ExampleAppName; readonly latencyMs: number; readonly answer?: Answer }
  | { readonly kind: 'scripted'; readonly latencyMs: number; readonly answer: Answer };

/** The tag Nomad's `canary_tags` carry in drover's rendering (render/fabio-tags.ts). */
export const CANARY_TAG = 'canary';

const TEXT = 'text/plain; charset=utf-8';
const SELECTORS: readonly InstanceSelector[] = ['all', 'canary', 'stable'];

/** A behaviour with its error spreader; a fresh `setApp` restarts the spread. */
interface Scripted {
  readonly behaviour: AppBehaviour;
  /** Where in the error cycle this behaviour starts, from the seed, so services do not fail in lockstep. */
  readonly phase: number;
  served: number;
}

/** The behaviours of every service, by selector. */
export class BehaviourBook {
  private readonly byService = new Map<string, Map<InstanceSelector, Scripted>>();
  private readonly random;

  constructor(seed: number) {
    this.random = createRandom(seed ^ 0xa995);
  }

  /** Sets the behaviour for `behaviour.instances` of `service`, leaving the other selectors alone. */
  set(service: string, behaviour: AppBehaviour): void {
    const selectors = this.byService.get(service) ?? new Map<InstanceSelector, Scripted>();
    selectors.set(behaviour.instances ?? 'all', { behaviour, phase: this.random.next(), served: 0 });
    this.byService.set(service, selectors);
  }

  /** Forgets one selector, one service, or everything. */
  clear(service?: string, selector?: InstanceSelector): void {
    if (service === undefined) return this.byService.clear();
    if (selector === undefined) return void this.byService.delete(service);
    this.byService.get(service)?.delete(selector);
  }

  /** Every scripted behaviour, for the admin API's overview. */
  list(): Record<string, AppBehaviour[]> {
    return Object.fromEntries([...this.byService].map(([service, selectors]) => [service, [...selectors.values()].map((s) => s.behaviour)]));
  }

  /**
   * Decides one request (a turn of the error spread); the canary- or stable-specific behaviour
   * wins over `all`. Failures follow the example apps' own rule (`isErrorTurn`): exactly
   * ⌊n·ratio⌋ of n requests (± the phase), evenly spaced.
   */
  plan(service: string, canary: boolean, path: string): InstancePlan {
    const scripted = this.selected(service, canary);
    const app = this.appOf(service, canary);
    if (!scripted) return app ? { kind: 'app', app, latencyMs: 0 } : { kind: 'scripted', latencyMs: 0, answer: OK };
    scripted.served++;
    const failing = isErrorTurn(scripted.served, scripted.behaviour.errorRatio ?? 0, scripted.phase);
    return decidePlan(scripted.behaviour, { path, failing, app });
  }

  /** The example app an instance runs, if any: its selector's, else the `all` behaviour's. */
  appOf(service: string, canary: boolean): ExampleAppName | undefined {
    return this.selected(service, canary)?.behaviour.app ?? this.byService.get(service)?.get('all')?.behaviour.app;
  }

  private selected(service: string, canary: boolean): Scripted | undefined {
    const selectors = this.byService.get(service);
    return selectors?.get(canary ? 'canary' : 'stable') ?? selectors?.get('all');
  }
}

const OK: Answer = { status: 200, body: 'ok', contentType: TEXT };

/** The plan for one request under `behaviour`; `failing` turns it into the scripted 503. */
export function decidePlan(behaviour: AppBehaviour, request: { readonly path: string; readonly failing: boolean; readonly app?: ExampleAppName | undefined }): InstancePlan {
  const latencyMs = behaviour.latencyMs ?? 0;
  const { app } = request;
  const scripted = behaviour.responses?.[request.path] ?? behaviour.default;
  const answer: Answer | undefined = request.failing
    ? { status: 503, body: 'simulated error (errorRatio)', contentType: TEXT }
    : scripted && { status: scripted.status ?? 200, body: scripted.body ?? 'ok', contentType: scripted.contentType ?? TEXT };
  if (app) return answer ? { kind: 'app', app, latencyMs, answer } : { kind: 'app', app, latencyMs };
  return { kind: 'scripted', latencyMs, answer: answer ?? OK };
}

/** Checks a behaviour received as JSON (admin API); returns it, or why it is not one. */
export function parseAppBehaviour(value: unknown): AppBehaviour | { readonly error: string } {
  if (!isRecord(value)) return { error: 'the behaviour must be a JSON object' };
  const problems: string[] = [];
  const { app, responses, errorRatio, latencyMs, instances } = value;
  if (app !== undefined && !EXAMPLE_APP_NAMES.includes(app as ExampleAppName)) problems.push(`app must be one of ${EXAMPLE_APP_NAMES.join(', ')} (the example apps under examples/apps/)`);
  if (responses !== undefined) {
    if (!isRecord(responses)) problems.push('responses must map paths to {status?, body?, contentType?}');
    else for (const [path, response] of Object.entries(responses)) problems.push(...responseProblems(`responses["${path}"]`, response));
  }
  if (value.default !== undefined) problems.push(...responseProblems('default', value.default));
  if (errorRatio !== undefined && !(typeof errorRatio === 'number' && errorRatio >= 0 && errorRatio <= 1)) problems.push('errorRatio must be a number between 0 and 1');
  if (latencyMs !== undefined && !(typeof latencyMs === 'number' && latencyMs >= 0 && latencyMs <= 60_000)) problems.push('latencyMs must be a number between 0 and 60000');
  if (instances !== undefined && !SELECTORS.includes(instances as InstanceSelector)) problems.push(`instances must be one of ${SELECTORS.join(', ')}`);
  return problems.length > 0 ? { error: problems.join('; ') } : (value as AppBehaviour);
}

function responseProblems(where: string, response: unknown): string[] {
  if (!isRecord(response)) return [`${where} must be an object`];
  const problems: string[] = [];
  const { status, body, contentType } = response;
  if (status !== undefined && !(Number.isInteger(status) && (status as number) >= 100 && (status as number) <= 599)) problems.push(`${where}.status must be an HTTP status (100–599)`);
  if (body !== undefined && typeof body !== 'string') problems.push(`${where}.body must be a string`);
  if (contentType !== undefined && typeof contentType !== 'string') problems.push(`${where}.contentType must be a string`);
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
