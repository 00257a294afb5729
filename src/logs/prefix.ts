/**
 * The prefix of every log line: `api[2] v14 canary |`, the same for an allocation on every line
 * and every run, in a colour of its own on a terminal. Pure.
 */
import type { LogSource } from './select.ts';

/** Which logs are shown; with both, stderr lines say so in their prefix. */
export type LogStreams = 'stdout' | 'stderr' | 'both';

/** `api[2] v14 canary`; `api[2]/proxy v14` when several tasks are shown. */
export function sourceLabel(source: Pick<LogSource, 'group' | 'index' | 'task' | 'version' | 'canary' | 'showTask'>): string {
  const name = `${source.group}${source.index >= 0 ? `[${source.index}]` : ''}${source.showTask ? `/${source.task}` : ''}`;
  return `${name} v${source.version}${source.canary ? ' canary' : ''}`;
}

/** `api[2] v14 canary |`, and `api[2] v14 canary stderr |` for stderr lines shown next to stdout ones. */
export function prefixText(label: string, type: 'stdout' | 'stderr', streams: LogStreams): string {
  return `${label}${streams === 'both' && type === 'stderr' ? ' stderr' : ''} |`;
}

/** ANSI foreground colours for prefixes: cyan, magenta, yellow, green, blue and their bright kin (red is kept for errors). */
export const PREFIX_COLOURS: readonly number[] = [36, 35, 33, 32, 34, 96, 95, 93, 92, 94];

/**
 * The colour of an allocation: from a hash of its ID, so it is the same on every line and every
 * run; two allocations may share one (ten colours), their prefixes still differ.
 */
export function prefixColour(allocId: string): number {
  let hash = 2166136261;
  for (let i = 0; i < allocId.length; i++) hash = Math.imul(hash ^ allocId.charCodeAt(i), 16777619);
  return PREFIX_COLOURS[(hash >>> 0) % PREFIX_COLOURS.length]!;
}

/** `text` in the allocation's colour when `colour` is on (a terminal, NO_COLOR unset). */
export function colourPrefix(text: string, allocId: string, colour: boolean): string {
  return colour ? `\u001b[${prefixColour(allocId)}m${text}\u001b[39m` : text;
}
