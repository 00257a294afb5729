import { type Diagnostic, formatFilePosition } from './diagnostic.ts';

/**
 * Drops the tsc error that says again what an unknown-key diagnostic at the same file:line:col says
 * better: a misspelt key is rejected by the exact types (`"x is not a key drover knows here"`) and by
 * drover's own rule, which names the key's path and the key it probably meant. Only errors of
 * `typeRule` at exactly such a position go; every other type error stays. Pure.
 */
export function withoutRepeatedTypeErrors(diagnostics: readonly Diagnostic[], typeRule: string, keyRules: readonly string[]): Diagnostic[] {
  const keyPositions = new Set(diagnostics.filter((d) => keyRules.includes(d.rule) && d.location.line !== undefined).map((d) => formatFilePosition(d.location)));
  if (keyPositions.size === 0) return [...diagnostics];
  return diagnostics.filter((d) => d.rule !== typeRule || d.location.line === undefined || !keyPositions.has(formatFilePosition(d.location)));
}
