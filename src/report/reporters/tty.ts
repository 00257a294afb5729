import type { DeployEvent, Report } from '../events.ts';
import type { JobOutcome } from '../../deploy/outcome.ts';
import { formatEvent } from '../formatters.ts';
import type { Style } from '../style.ts';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * A live view for terminals: important events scroll above a block of one status line per job
 * in flight (spinner, last progress message), redrawn in place.
 */
export function ttyReporter(write: (text: string) => void, style: Style): Report & { stop(): void } {
  const status = new Map<string, string>();
  let drawn = 0;
  let frame = 0;
  const redraw = () => {
    const lines = [...status.entries()].map(([job, message]) => `${style.bold(FRAMES[frame % FRAMES.length]!)} ${job.padEnd(16)} ${style.dim(message)}`);
    write(`${drawn ? `\u001b[${drawn}A` : ''}\u001b[0J${lines.map((l) => `${l}\n`).join('')}`);
    drawn = lines.length;
  };
  const timer = setInterval(() => {
    frame++;
    if (status.size) redraw();
  }, 120);
  timer.unref();
  const report = (event: DeployEvent) => {
    if (event.type === 'job-progress') status.set(event.job, event.message);
    else if (event.type === 'job-registered' || event.type === 'job-resumed' || event.type === 'job-waiting') status.set(event.job, formatEvent(event, style) ?? '');
    else if (event.type === 'job-finished') status.delete(event.job);
    if (event.type !== 'job-progress') {
      const line = formatEvent(event, style);
      if (line !== undefined) {
        write(`${drawn ? `\u001b[${drawn}A` : ''}\u001b[0J${line}\n`);
        drawn = 0;
      }
    }
    redraw();
  };
  return Object.assign(report, { stop: () => clearInterval(timer) });
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
