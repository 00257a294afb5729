/**
 * The demo knob every example app reads: answer 503 to a share of requests and/or add latency, so
 * a "bad release" can be played with the real app. Also the spreading rule the sandbox's scripted
 * faults use, so both fail the same requests.
 */

/** What the knob asks for. */
export interface Chaos {
  /** Share of requests answered 503, 0..1 (`EXAMPLE_ERROR_RATIO`). @default 0 */
  readonly errorRatio: number;
  /** Milliseconds added before answering (`EXAMPLE_LATENCY_MS`). @default 0 */
  readonly latencyMs: number;
}

export const NO_CHAOS: Chaos = { errorRatio: 0, latencyMs: 0 };

/**
 * Request `n` (1-based) fails when the running total n·ratio crosses an integer: exactly
 * ⌊n·ratio + phase⌋ failures after n requests, evenly spaced (a 25 % ratio fails one request in
 * every four), deterministic rather than random, so a short test or demo sees the ratio at once.
 * `phase` (0..1) shifts where in the cycle the failures fall.
 */
export function isErrorTurn(n: number, ratio: number, phase = 0): boolean {
  return Math.floor(n * ratio + phase) > Math.floor((n - 1) * ratio + phase);
}

/** A counter over {@link isErrorTurn}: each call is the next request. */
export function createErrorSpreader(ratio: number, phase = 0): () => boolean {
  let served = 0;
  return () => ratio > 0 && isErrorTurn(++served, ratio, phase);
}
