import type { ConsulClient } from '../clients/consul/index.ts';
import type { Environment } from '../config/environment.ts';
import type { JobSpec } from '../model/job.ts';
import type { SmokeCheck, SmokeVia } from '../model/smoke.ts';
import type { ReleaseReport } from '../release/events.ts';
import { nodeSmokeHttp, type SmokeHttp } from './http.ts';
import { judgeAnswer, smokeDefaults, toSmokeResult, type SmokeAnswer, type SmokeRequest, type SmokeResult } from './result.ts';
import { resolveSmokeTarget, type SmokeTarget } from './target.ts';

/** What the runner talks to; everything injectable so tests need no network or real time. */
export interface SmokeDeps {
  readonly env: Environment;
  /** The environment's Consul, for `via: 'consul'`. */
  readonly consul: ConsulClient;
  /** @default node:http(s) transport */
  readonly http?: SmokeHttp;
  /** Monotonic milliseconds, for latency. @default performance.now */
  readonly now?: () => number;
  /** Waits between attempts. @default setTimeout, cut short by `signal` */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Per-request timeout. @default 10000 */
  readonly timeoutMs?: number;
  readonly report?: ReleaseReport;
  readonly signal?: AbortSignal;
}

/**
 * Runs every smoke check of `jobs`, one at a time in job order (a handful of requests; parallel
 * runs would only make failures harder to read), and returns every result, passed and failed.
 */
export async function runSmokeChecks(jobs: readonly JobSpec[], deps: SmokeDeps): Promise<SmokeResult[]> {
  const results: SmokeResult[] = [];
  for (const job of jobs) {
    const targets = new Map<SmokeVia, SmokeTarget>();
    for (const check of job.smoke ?? []) {
      let target = targets.get(check.via);
      if (!target) targets.set(check.via, (target = await resolveTarget(check.via, job, deps)));
      const result = await runCheck(job.id, check, target, deps);
      deps.report?.({ type: 'smoke-finished', result });
      results.push(result);
    }
  }
  return results;
}

async function resolveTarget(via: SmokeVia, job: JobSpec, deps: SmokeDeps): Promise<SmokeTarget> {
  try {
    return await resolveSmokeTarget(via, job, deps);
  } catch (error) {
    return { kind: 'unavailable', reason: `could not look up the target in Consul: ${messageOf(error)}` };
  }
}

/** One check with its retries; the last attempt's answer is the result. */
async function runCheck(job: string, check: SmokeCheck, target: SmokeTarget, deps: SmokeDeps): Promise<SmokeResult> {
  if (target.kind === 'unavailable') return toSmokeResult(job, check, { attempts: 0, error: target.reason });
  const { method, retries, retryDelayMs } = smokeDefaults(check);
  const request: SmokeRequest = { method, url: `${target.baseUrl}${check.path}`, ...(check.host ? { host: check.host } : {}) };
  const sleep = deps.sleep ?? abortableSleep;
  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptOnce(request, deps);
    const problems = 'answer' in outcome ? judgeAnswer(check, outcome.answer) : [outcome.error];
    if (problems.length === 0 || attempt > retries || deps.signal?.aborted) return toSmokeResult(job, check, { attempts: attempt, request, ...outcome });
    deps.report?.({ type: 'smoke-retrying', job, check: check.name, attempt, problem: problems.join('; '), delayMs: retryDelayMs });
    await sleep(retryDelayMs, deps.signal);
  }
}

async function attemptOnce(request: SmokeRequest, deps: SmokeDeps): Promise<{ answer: SmokeAnswer } | { error: string }> {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  try {
    const { status, body } = await (deps.http ?? nodeSmokeHttp)({
      method: request.method,
      url: request.url,
      headers: { 'user-agent': 'drover-smoke', ...(request.host ? { host: request.host } : {}) },
      timeoutMs: deps.timeoutMs ?? 10_000,
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    return { answer: { status, body, latencyMs: now() - started } };
  } catch (error) {
    return { error: `no answer: ${messageOf(error)}` };
  }
}

/** Resolves after `ms`, or as soon as `signal` aborts (callers check the signal themselves). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code) ? `${code} ${error.message}` : error.message;
  }
  return String(error);
}
