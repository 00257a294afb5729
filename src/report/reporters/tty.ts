import type { DeployEvent, Report } from '../events.ts';
import type { JobOutcome } from '../../deploy/outcome.ts';
import { clockOf, countdownNow, describeCountdown, reduceCountdowns, type Countdowns } from '../countdown.ts';
import { formatEvent } from '../formatters.ts';
import type { Style } from '../style.ts';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const ESC = '\u001b[';
const SGR = /\u001b\[[0-9;]*m/g;

/** Options of {@link ttyReporter}. */
export interface TtyOptions {
  /** Clock of the countdowns. @default Date.now */
  readonly now?: () => number;
  /** Clock of the soak countdown: that of the deploy's `sleep` (the demo's sandbox time). @default now */
  readonly soakNow?: () => number;
  /**
   * Terminal width. Block lines are cut to it: a line that wrapped would take two rows while the
   * redraw moves up one per line, leaving a stale row behind. @default unknown: lines are not cut
   */
  readonly columns?: () => number | undefined;
  /** Spinner (and countdown) refresh. @default 120 */
  readonly frameMs?: number;
}

/** The live view: a {@link Report} plus what its owner needs around other output. */
export interface TtyReporter extends Report {
  /** Erases the block for good; later events print as log lines only. Call on every way out. */
  stop(): void;
  /** Prints `text` above the block (the block is erased first and redrawn after, never left behind). */
  print(text: string): void;
}

/**
 * A live view for terminals: important events scroll above a block of one status line per job
 * in flight (spinner, job, last progress message or canary countdown) and one for a soak, redrawn
 * in place. The block is gone once the deploy finishes (`deploy-finished`) or `stop()` is called,
 * so a summary, an error or a Ctrl-C message never appears below stale spinner lines.
 */
export function ttyReporter(write: (text: string) => void, style: Style, options: TtyOptions = {}): TtyReporter {
  const now = options.now ?? Date.now;
  const clocks = { now, soakNow: options.soakNow ?? now };
  const status = new Map<string, string>();
  let countdowns: Countdowns = new Map();
  let drawn = 0;
  let frame = 0;
  let stopped = false;

  const lines = (): string[] => {
    if (stopped) return [];
    const spinner = style.bold(FRAMES[frame % FRAMES.length]!);
    const rows: [string, string][] = [...status.entries()].map(([job, message]) => {
      const countdown = countdowns.get(`canary:${job}`);
      return [job, countdown ? describeCountdown(countdown, countdownNow(countdown, clocks)) : withoutJobPrefix(job, message)];
    });
    const soak = countdowns.get('soak');
    if (soak) rows.push(['soak', describeCountdown(soak, countdownNow(soak, clocks))]);
    return rows.map(([label, text]) => {
      const row = fitToWidth(`${label.padEnd(16)} ${text}`, options.columns?.());
      return `${spinner} ${row.slice(0, 17)}${style.dim(row.slice(17))}`;
    });
  };
  const render = (above: string) => {
    const block = lines();
    const text = `${drawn ? `${ESC}${drawn}A\r${ESC}0J` : ''}${above}${block.map((l) => `${l}\n`).join('')}`;
    drawn = block.length;
    if (text) write(text);
  };
  const timer = setInterval(() => {
    frame++;
    if (drawn) render('');
  }, options.frameMs ?? 120);
  timer.unref();

  const report = (event: DeployEvent) => {
    countdowns = reduceCountdowns(countdowns, event, clockOf(event, clocks));
    if (event.type === 'job-progress') status.set(event.job, event.message);
    else if (event.type === 'job-registered' || event.type === 'job-resumed' || event.type === 'job-waiting') status.set(event.job, formatEvent(event, style) ?? '');
    else if (event.type === 'job-finished') status.delete(event.job);
    else if (event.type === 'deploy-finished') status.clear();
    const line = event.type === 'job-progress' ? undefined : formatEvent(event, style);
    render(line !== undefined ? `${line}\n` : '');
  };
  return Object.assign(report, {
    stop: () => {
      clearInterval(timer);
      stopped = true;
      render('');
    },
    print: (text: string) => render(text === '' || text.endsWith('\n') ? text : `${text}\n`),
  });
}

/** "[api] registered version 3" on the line of job api reads "registered version 3". */
function withoutJobPrefix(job: string, message: string): string {
  const plain = message.replace(SGR, '');
  return plain.startsWith(`[${job}] `) ? plain.slice(job.length + 3) : plain;
}

/** Cuts `text` (no escape codes) to fit a row after the spinner, with an ellipsis. */
function fitToWidth(text: string, columns: number | undefined): string {
  const plain = text.replace(SGR, '');
  if (!columns) return plain;
  const room = columns - 3; // spinner, space, and the last column (writing there wraps on some terminals)
  const chars = [...plain];
  return chars.length <= room ? plain : `${chars.slice(0, Math.max(0, room - 1)).join('')}…`;
}

/** The final table: one row per job; `env` names the environment in the commands it suggests. */
export function summaryTable(results: readonly { job: string; outcome: JobOutcome }[], env: string): string {
  const rows = [['JOB', 'RESULT', 'VERSION', 'DETAIL']];
  for (const { job, outcome } of results) {
    const version = 'version' in outcome ? String(outcome.version) : '-';
    const detail =
      outcome.status === 'failed' || outcome.status === 'placement-failed'
        ? `${outcome.reason}${outcome.runningVersion !== undefined ? ` (running: v${outcome.runningVersion})` : ''}`
        : outcome.status === 'skipped'
          ? outcome.reason
          : outcome.status === 'awaiting-promotion'
            ? `promote with: drover promote ${env} --job ${job}`
            : '';
    rows.push([job, outcome.status, version, detail]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')).join('\n') + '\n';
}

/** Where a command prints text while `reporter` may be drawing: above the live block, else to `fallback`. */
export function printAbove(reporter: Report, fallback: (text: string) => void): (text: string) => void {
  return 'print' in reporter ? (reporter as TtyReporter).print : fallback;
}

/** The terminal width of a stream (Node's `columns` on a TTY), for {@link TtyOptions.columns}. */
export function columnsOf(stream: object): () => number | undefined {
  return () => (stream as { columns?: number }).columns;
}
