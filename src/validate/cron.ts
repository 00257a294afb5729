/**
 * A validator for the cron dialect Nomad's periodic jobs use (hashicorp/cronexpr, a fork of
 * gorhill/cronexpr). It only answers "would Nomad accept this, and does it mean what it seems
 * to?"; it does not compute schedules.
 *
 * Layouts: 5 fields `min hour dom month dow`, 6 fields `min hour dom month dow year`, 7 fields
 * `sec min hour dom month dow year` (cronexpr prepends second 0 to shorter forms and appends a
 * year to the 5-field form; a 6-field expression does NOT start with seconds). Each field is a
 * comma list of `*`, `?`, values, `a-b` ranges and `/step`s; names JAN–DEC and SUN–SAT (also
 * full names), day-of-month `L`, `LW`, `15W`, day-of-week `5L`, `5#3`. Macros: @yearly,
 * @annually, @monthly, @weekly, @daily, @hourly.
 *
 * Deliberately stricter than cronexpr where it silently does something surprising: more than 7
 * fields (cronexpr ignores the rest), empty list items (`1,,2`), inverted ranges (`50-10`, which
 * match nothing) and `@midnight` (not one of cronexpr's macros: Nomad rejects it).
 */

const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly']);

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Digits a plain value may have (years are four digits, everything else one or two). */
  readonly digits: RegExp;
  readonly names?: Readonly<Record<string, number>>;
  readonly special?: (entry: string, field: FieldSpec) => boolean;
}

const MONTH_NAMES = monthNames();
const DAY_NAMES = dayNames();

const SECOND: FieldSpec = { name: 'second', min: 0, max: 59, digits: /^\d{1,2}$/ };
const MINUTE: FieldSpec = { ...SECOND, name: 'minute' };
const HOUR: FieldSpec = { name: 'hour', min: 0, max: 23, digits: /^\d{1,2}$/ };
const DAY_OF_MONTH: FieldSpec = { name: 'day-of-month', min: 1, max: 31, digits: /^\d{1,2}$/, special: isDayOfMonthSpecial };
const MONTH: FieldSpec = { name: 'month', min: 1, max: 12, digits: /^\d{1,2}$/, names: MONTH_NAMES };
// 7 is Sunday as well as 0, as in crontab(5).
const DAY_OF_WEEK: FieldSpec = { name: 'day-of-week', min: 0, max: 7, digits: /^\d{1,2}$/, names: DAY_NAMES, special: isDayOfWeekSpecial };
const YEAR: FieldSpec = { name: 'year', min: 1970, max: 2099, digits: /^\d{4}$/ };

const LAYOUTS: Readonly<Record<number, readonly FieldSpec[]>> = {
  5: [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK],
  6: [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK, YEAR],
  7: [SECOND, MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK, YEAR],
};

/**
 * Why `expression` is not a valid Nomad cron expression, or `undefined` when it is.
 * @see https://developer.hashicorp.com/nomad/docs/job-specification/periodic#cron
 */
export function cronError(expression: unknown): string | undefined {
  if (typeof expression !== 'string') return 'is not a string';
  const text = expression.trim();
  if (text.startsWith('@')) {
    // cronexpr replaces macros case-sensitively: `@Daily` is not a macro.
    if (MACROS.has(text)) return undefined;
    return `unknown macro ${text}; use one of ${[...MACROS].join(', ')}`;
  }
  const fields = text.split(/\s+/).filter(Boolean);
  const layout = LAYOUTS[fields.length];
  if (!layout) return `has ${fields.length} field${fields.length === 1 ? '' : 's'}; expected 5 (minute hour day month weekday), 6 (… year) or 7 (second … year)`;
  for (const [i, spec] of layout.entries()) {
    const reason = fieldError(fields[i] ?? '', spec);
    if (reason) return `${spec.name} field "${fields[i]}": ${reason}`;
  }
  return undefined;
}

/** True when `expression` is a valid Nomad cron expression. */
export function isCron(expression: unknown): boolean {
  return cronError(expression) === undefined;
}

function fieldError(text: string, spec: FieldSpec): string | undefined {
  for (const entry of text.toLowerCase().split(',')) {
    if (entry === '') return 'empty list item';
    const reason = entryError(entry, spec);
    if (reason) return reason;
  }
  return undefined;
}

function entryError(entry: string, spec: FieldSpec): string | undefined {
  if (entry === '*' || entry === '?') return undefined;
  if (spec.special?.(entry, spec)) return undefined;
  const [range, step, extra] = entry.split('/');
  if (extra !== undefined) return `"${entry}" has more than one "/"`;
  if (step !== undefined) {
    const stepError = checkStep(step, spec);
    if (stepError) return stepError;
  }
  if (range === '*' && step !== undefined) return undefined;
  const [from, to, more] = (range ?? '').split('-');
  if (more !== undefined) return `"${entry}" is not a value, range or step`;
  const first = value(from ?? '', spec, false);
  if (first === undefined) return `"${from}" is not a ${spec.name} (${spec.min}–${spec.max}${spec.names ? ' or a name' : ''})`;
  if (to === undefined) return undefined;
  const last = value(to, spec, true);
  if (last === undefined) return `"${to}" is not a ${spec.name} (${spec.min}–${spec.max}${spec.names ? ' or a name' : ''})`;
  if (first > last) return `range ${range} runs backwards and matches nothing`;
  return undefined;
}

/**
 * cronexpr reads steps through its 0–59 number table and rejects steps larger than the field's
 * maximum (6 for day-of-week, where 7 is only an alias of Sunday).
 */
function checkStep(step: string, spec: FieldSpec): string | undefined {
  const n = /^\d{1,2}$/.test(step) ? Number(step) : NaN;
  const limit = Math.min(59, spec === DAY_OF_WEEK ? 6 : spec.max);
  if (!(n >= 1 && n <= limit)) return `step "/${step}" must be between 1 and ${limit}`;
  return undefined;
}

/**
 * The numeric value of a field value. A day-of-week range ending in a Sunday name runs through
 * Sunday (`fri-sun`), which cronexpr counts as 7.
 */
function value(token: string, spec: FieldSpec, rangeEnd: boolean): number | undefined {
  if (spec.digits.test(token)) {
    const n = Number(token);
    return n >= spec.min && n <= spec.max ? n : undefined;
  }
  const named = spec.names?.[token];
  if (named === 0 && rangeEnd && spec === DAY_OF_WEEK) return 7;
  return named;
}

function isDayOfMonthSpecial(entry: string, spec: FieldSpec): boolean {
  if (entry === 'l' || entry === 'lw') return true;
  const workday = /^(\d{1,2})w$/.exec(entry);
  return workday !== null && value(workday[1] ?? '', spec, false) !== undefined;
}

function isDayOfWeekSpecial(entry: string, spec: FieldSpec): boolean {
  const last = /^([a-z]+|\d)l$/.exec(entry);
  if (last) return value(last[1] ?? '', spec, false) !== undefined;
  const nth = /^([a-z]+|\d)#([1-5])$/.exec(entry);
  return nth !== null && value(nth[1] ?? '', spec, false) !== undefined;
}

function monthNames(): Record<string, number> {
  const full = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
  return Object.fromEntries(full.flatMap((name, i) => [[name, i + 1], [name.slice(0, 3), i + 1]]));
}

function dayNames(): Record<string, number> {
  const full = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
  return Object.fromEntries(full.flatMap((name, i) => [[name, i], [name.slice(0, 3), i]]));
}
