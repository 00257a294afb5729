import type { SmokeCheck, SmokeVia } from '../model/smoke.ts';

/**
 * Smoke check results and the pure rules that judge an answer. A failed result carries the
 * request and the response it got, so the user sees what was asked and what came back without
 * re-running anything.
 */

/** Characters of the response body kept in results (and thus in release records). */
export const BODY_EXCERPT_CHARS = 500;

/** The request a smoke check made. */
export interface SmokeRequest {
  readonly method: string;
  readonly url: string;
  /** Host header, when the check sets one (host-based Fabio routes). */
  readonly host?: string;
}

/** What came back: status, the start of the body, and how long the whole answer took. */
export interface SmokeResponse {
  readonly status: number;
  /** First 500 characters of the body. */
  readonly body: string;
  readonly latencyMs: number;
}

/** One check's final result (after retries). */
export interface SmokeResult {
  readonly job: string;
  readonly check: string;
  readonly via: SmokeVia;
  readonly ok: boolean;
  readonly attempts: number;
  /** Absent when no target could be found (no Fabio address, no passing instance). */
  readonly request?: SmokeRequest;
  /** Absent when the request got no answer (connection refused, timeout). */
  readonly response?: SmokeResponse;
  /** Why it failed; empty when `ok`. */
  readonly problems: readonly string[];
}

/** A full answer as the transport returns it, with its measured latency. */
export interface SmokeAnswer {
  readonly status: number;
  readonly body: string;
  readonly latencyMs: number;
}

/** The check's defaults filled in. */
export function smokeDefaults(check: SmokeCheck): Required<Pick<SmokeCheck, 'method' | 'expectStatus' | 'retries' | 'retryDelayMs'>> {
  return { method: check.method ?? 'GET', expectStatus: check.expectStatus ?? 200, retries: check.retries ?? 2, retryDelayMs: check.retryDelayMs ?? 1000 };
}

/** What is wrong with `answer` for `check`: status, body pattern, latency; `[]` when it passes. */
export function judgeAnswer(check: SmokeCheck, answer: SmokeAnswer): string[] {
  const problems: string[] = [];
  const { expectStatus } = smokeDefaults(check);
  if (answer.status !== expectStatus) problems.push(`status ${answer.status}, expected ${expectStatus}`);
  if (check.bodyPattern !== undefined && !matches(check.bodyPattern, answer.body)) {
    problems.push(`body does not match /${check.bodyPattern}/`);
  }
  if (check.maxLatencyMs !== undefined && answer.latencyMs > check.maxLatencyMs) {
    problems.push(`answered in ${Math.round(answer.latencyMs)} ms, more than the ${check.maxLatencyMs} ms allowed`);
  }
  return problems;
}

/** The response as results keep it: body cut to 500 characters, latency in whole milliseconds. */
export function toSmokeResponse(answer: SmokeAnswer): SmokeResponse {
  return { status: answer.status, body: answer.body.slice(0, BODY_EXCERPT_CHARS), latencyMs: Math.round(answer.latencyMs) };
}

/** Shapes one attempt's result: the answer judged against the check, or the network error. */
export function toSmokeResult(
  job: string,
  check: SmokeCheck,
  attempt: { readonly attempts: number; readonly request?: SmokeRequest; readonly answer?: SmokeAnswer; readonly error?: string },
): SmokeResult {
  const problems = attempt.answer ? judgeAnswer(check, attempt.answer) : [attempt.error ?? 'no answer'];
  return {
    job,
    check: check.name,
    via: check.via,
    ok: problems.length === 0,
    attempts: attempt.attempts,
    ...(attempt.request ? { request: attempt.request } : {}),
    ...(attempt.answer ? { response: toSmokeResponse(attempt.answer) } : {}),
    problems,
  };
}

/** Multi-line description of a failed result: the request, the response, and what was wrong. */
export function describeSmokeFailure(result: SmokeResult): string {
  const lines = [`${result.job} / ${result.check} (via ${result.via}, ${result.attempts} attempt${result.attempts === 1 ? '' : 's'}): ${result.problems.join('; ')}`];
  if (result.request) lines.push(`request   ${result.request.method} ${result.request.url}${result.request.host ? ` (Host: ${result.request.host})` : ''}`);
  if (result.response) {
    lines.push(`response  ${result.response.status} in ${result.response.latencyMs} ms`);
    if (result.response.body) lines.push(`body      ${JSON.stringify(result.response.body)}`);
  }
  return lines.join('\n');
}

/** An invalid pattern (which validation reports) matches nothing rather than crashing the run. */
function matches(pattern: string, body: string): boolean {
  try {
    return new RegExp(pattern).test(body);
  } catch {
    return false;
  }
}
