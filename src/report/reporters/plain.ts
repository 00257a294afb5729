import type { DeployEvent, Report } from '../events.ts';
import { clockOf, countdownNow, describeCountdown, plainEveryMs, reduceCountdowns, remainingMs, totalMs, type Countdown, type Countdowns } from '../countdown.ts';
import { formatEvent } from '../formatters.ts';
import type { Style } from '../style.ts';

/** Options of {@link plainReporter}. */
export interface PlainOptions {
  /** Clock of the countdowns. @default Date.now */
  readonly now?: () => number;
  /** Clock of the soak countdown: that of the deploy's `sleep` (the demo's sandbox time). @default now */
  readonly soakNow?: () => number;
  /** How often countdowns are looked at; a line is printed only when one crosses its mark. @default 1000 */
  readonly tickMs?: number;
}

/**
 * One line per state change, for CI logs. Progress goes to stderr. A soak or canary step also
 * prints how long is left about ten times over its length (see `plainEveryMs`), on round
 * marks, so a log shows that a long wait is alive without a line per second. `stop()` ends that.
 */
export function plainReporter(write: (text: string) => void, style: Style, options: PlainOptions = {}): Report & { stop(): void } {
  const now = options.now ?? Date.now;
  const clocks = { now, soakNow: options.soakNow ?? now };
  let countdowns: Countdowns = new Map();
  /** Per countdown key: the mark (remaining ÷ interval, rounded up) last reached. */
  const marks = new Map<string, number>();
  const mark = (c: Countdown, at: number) => Math.ceil(remainingMs(c, at) / plainEveryMs(totalMs(c)));
  const timer = setInterval(() => {
    for (const [key, c] of countdowns) {
      const at = countdownNow(c, clocks);
      const reached = mark(c, at);
      if (reached === marks.get(key) || reached === 0) continue;
      marks.set(key, reached);
      write(`${style.dim(c.kind === 'soak' ? `soak: ${describeCountdown(c, at)}` : `[${c.job}] ${describeCountdown(c, at)}`)}\n`);
    }
  }, options.tickMs ?? 1000);
  timer.unref();
  const report = (event: DeployEvent) => {
    const before = countdowns;
    countdowns = reduceCountdowns(countdowns, event, clockOf(event, clocks));
    // A new or restarted countdown starts at its own mark: its event's line already says the length.
    for (const [key, c] of countdowns) if (before.get(key)?.startedAtMs !== c.startedAtMs) marks.set(key, mark(c, countdownNow(c, clocks)));
    const line = formatEvent(event, style);
    if (line !== undefined) write(`${line}\n`);
  };
  return Object.assign(report, { stop: () => clearInterval(timer) });
}
