import { CANARY_FORMATTERS } from '../canary/format.ts';
import { RELEASE_FORMATTERS } from '../release/events.ts';
import { summarizeFailure } from '../watch/classify.ts';
import { summarizeHealthWait } from '../watch/health-wait-text.ts';
import type { DeployEvent, DeployEventType } from './events.ts';
import type { JobOutcome } from '../deploy/outcome.ts';
import type { Style } from './style.ts';

type Formatter<T extends DeployEventType> = (event: Extract<DeployEvent, { type: T }>, style: Style) => string | undefined;

/**
 * One line per event, for the plain (CI) reporter and the TTY log. Typed over the union: adding an
 * event type fails compilation here until it can be printed. `undefined` = not worth a line.
 */
export const FORMATTERS: { readonly [T in DeployEventType]: Formatter<T> } = {
  'deploy-started': (e) => `Deploying release ${e.release} to ${e.env}: ${e.waves.map((w) => w.join(', ')).join(' → ')}`,
  'lock-acquired': (e) => `Locked ${e.env} (${e.key})`,
  'lock-waiting': (e, s) => s.yellow(`Waiting for the ${e.env} lock held by ${e.holder}`),
  'lock-released': (e) => `Released the ${e.env} lock`,
  'lock-lost': (e, s) => s.red(`Lost the ${e.env} lock: ${e.reason}`),
  'job-waiting': (e) => `[${e.job}] waiting for ${e.on.join(', ')}`,
  'job-planned': (e) => `[${e.job}] plan: ${e.summary}`,
  'job-warnings': (e, s) => e.warnings.map((w) => s.yellow(`⚠ [${e.job}] Nomad warns${e.source === 'register' ? ' on registration' : ''}: ${w}`)).join('\n'),
  'job-registered': (e) => `[${e.job}] registered version ${e.version}${e.evalId ? ` (evaluation ${short(e.evalId)})` : ''}`,
  'job-resumed': (e) => `[${e.job}] resuming the watch of deployment ${short(e.deploymentId)} (version ${e.version}) already in flight`,
  'job-progress': (e, s) => s.dim(`[${e.job}] ${e.message}`),
  'allocation-failed': (e, s) =>
    s.red(`[${e.job}] allocation ${e.failure.allocName} (${short(e.failure.allocId)}) group ${e.failure.group} task ${e.failure.task}: ${summarizeFailure(e.failure)}`),
  'allocation-logs': (e, s) => {
    const head = `[${e.job}] ${e.stream} of ${e.allocName} (${short(e.allocId)}) task ${e.task}`;
    if (e.lines.length === 0) return s.dim(`${head}: ${e.note ?? 'nothing'}`);
    return [`${head}, last ${e.lines.length} line${e.lines.length === 1 ? '' : 's'}:`, ...e.lines.map((l) => s.dim(`    | ${l}`))].join('\n');
  },
  'health-check-failing': (e, s) => s.yellow(`[${e.job}] allocation ${e.wait.allocName} (${short(e.wait.allocId)}) is not healthy: ${summarizeHealthWait(e.wait)}`),
  'deployment-failing': (e, s) => s.red(`[${e.job}] failing deployment ${short(e.deploymentId)} now (${e.reason}); Nomad rolls back if auto_revert is set`),
  'canaries-healthy': (e, s) => s.green(`[${e.job}] canaries healthy in ${e.groups.join(', ')} (deployment ${short(e.deploymentId)})`),
  'deployment-promoted': (e) => `[${e.job}] promoted deployment ${short(e.deploymentId)}`,
  'revert-awaiting-promotion': (e, s) =>
    [
      s.yellow(`[${e.job}] Nomad reverted to version ${e.revertedTo} (as version ${e.version}); the revert's deployment ${short(e.deploymentId)} waits for its canary to be promoted`),
      s.yellow(`[${e.job}]   Nomad puts a revert through the canary phase like any update when canaries are promoted by hand (hashicorp/nomad#10882); until then allocations of version ${e.failedVersion} may keep running beside it.`),
      s.yellow(`[${e.job}]   → Run \`drover promote ${e.env} --job ${e.job}\` to finish the rollback.`),
    ].join('\n'),
  'job-finished': (e, s) => formatOutcome(e.job, e.outcome, s),
  'watch-reconnected': (e, s) => s.yellow(`event stream reconnected at index ${e.index} (attempt ${e.attempt}: ${e.reason})`),
  'watch-fallback': (e, s) => s.yellow(`event stream unavailable (${e.reason}); watching with blocking queries`),
  'retry': (e, s) => s.dim(`retrying ${e.service} ${e.request} in ${e.delayMs} ms (attempt ${e.attempt})`),
  'deploy-finished': () => undefined,
  ...RELEASE_FORMATTERS,
  ...CANARY_FORMATTERS,
};

export function formatEvent(event: DeployEvent, style: Style): string | undefined {
  return (FORMATTERS[event.type] as Formatter<DeployEventType>)(event as never, style);
}

export function formatOutcome(job: string, outcome: JobOutcome, style: Style): string {
  switch (outcome.status) {
    case 'succeeded':
      return style.green(`✔ [${job}] version ${outcome.version} deployed`);
    case 'unchanged':
      return `= [${job}] unchanged (version ${outcome.version} is running); nothing registered`;
    case 'awaiting-promotion':
      return style.yellow(`◆ [${job}] canaries healthy, waiting for promotion of deployment ${short(outcome.deploymentId)}`);
    case 'failed':
      return style.red(`✖ [${job}] version ${outcome.version} failed: ${outcome.reason}${running(outcome.runningVersion)}`);
    case 'placement-failed':
      return style.red(`✖ [${job}] version ${outcome.version} could not be placed: ${outcome.reason}${running(outcome.runningVersion)}`);
    case 'skipped':
      return style.yellow(`- [${job}] not deployed: ${outcome.reason}`);
  }
}

function running(version: number | undefined): string {
  return version === undefined ? '' : ` — version ${version} is what runs now`;
}

export function short(id: string): string {
  return id.slice(0, 8);
}
