/**
 * Tolerant readers. Job and environment files are TypeScript, but a module written in plain
 * JavaScript (or a cast) can hand rules anything: a rule must read fields through these helpers
 * and never assume a shape the type promises.
 */

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The array itself, or an empty list for anything else. */
export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Own enumerable entries of a plain object, or none. */
export function entriesOf(value: unknown): [string, unknown][] {
  return isRecord(value) ? Object.entries(value) : [];
}

/** A field of a value that may not be an object. */
export function field(value: unknown, key: string): unknown {
  return isRecord(value) ? value[key] : undefined;
}

/** A number without a fractional part (not NaN, not Infinity). */
export function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

/** A string with at least one non-whitespace character. */
export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

/** An integer within `[min, max]`. */
export function isIntegerBetween(value: unknown, min: number, max: number): value is number {
  return isInteger(value) && value >= min && value <= max;
}

/**
 * A short printable form of a configuration value for messages. Never call it on values that
 * may hold credentials (env values, template data): those are described, not shown.
 */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
