import type { Style } from '../report/style.ts';
import type { CanaryEvent, CanaryEventType } from './events.ts';

type Formatter<T extends CanaryEventType> = (event: Extract<CanaryEvent, { type: T }>, style: Style) => string | undefined;

/** One line per canary event for the plain and TTY reporters; typed over the union like the engine's. */
export const CANARY_FORMATTERS: { readonly [T in CanaryEventType]: Formatter<T> } = {
  'canary-started': (e) => `[${e.job}] progressive canary of deployment ${e.deploymentId.slice(0, 8)}: traffic ${e.steps.map(percent).join(' → ')} (rule ${e.key})`,
  'canary-weight-set': (e) => `[${e.job}] step ${e.step}/${e.of}: ${percent(e.weight)} of the route's traffic to the canaries`,
  'canary-measured': (e, s) => {
    const line = `[${e.job}] step ${e.step} ${e.metric} over ${e.windowSeconds}s (${e.scope}): ${e.detail}: ${e.verdict}`;
    return e.verdict === 'ok' ? s.dim(line) : s.yellow(line);
  },
  'canary-step-passed': (e, s) => s.green(`[${e.job}] step ${e.step} passed at ${percent(e.weight)}`),
  'canary-analysis-failed': (e, s) => s.red(`[${e.job}] canary analysis failed at step ${e.step} (${percent(e.weight)}): ${e.reason}; query: ${e.query}`),
  'canary-deployment-failed': (e, s) =>
    s.red(`[${e.job}] failed deployment ${e.deploymentId.slice(0, 8)}${e.revertedToVersion === null ? ' (no auto_revert: nothing rolled back)' : `; Nomad reverts to version ${e.revertedToVersion}`} (${e.timings.crossingToFailRequestMs} ms after the threshold was first crossed)`),
  'canary-promoted': (e, s) => s.green(`[${e.job}] canary analysis passed; promoted deployment ${e.deploymentId.slice(0, 8)}`),
  'canary-rule-removed': (e, s) => s.dim(`[${e.job}] removed the canary weight rule ${e.key}`),
  'canary-rule-left': (e, s) => s.red(`[${e.job}] could NOT remove the canary weight rule ${e.key}: ${e.reason}. ${e.hint}`),
};

/** The line a reporter prints for `event`, or `undefined` when it is not worth one. */
export function formatCanaryEvent(event: CanaryEvent, style: Style): string | undefined {
  return (CANARY_FORMATTERS[event.type] as Formatter<CanaryEventType>)(event as never, style);
}

function percent(weight: number): string {
  return `${Number((weight * 100).toFixed(2))} %`;
}
