/** Numbers as a panel's unit shows them, and Grafana-style legends, for the static pages. */
import type { PanelUnit } from './model.ts';

/** `12.3 %`, `1.2k req/s`, `340 ms`, `512 MiB`, `1000 MHz`: how the static page prints a value. */
export function formatValue(value: number, unit: PanelUnit): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  switch (unit) {
    case 'percentunit':
      return `${trim(value * 100)} %`;
    case 'reqps':
      return `${compact(value)} req/s`;
    case 's':
    case 'dateTimeFromNow':
      return duration(value);
    case 'bytes':
      return bytes(value);
    case 'mhz':
      return `${compact(value)} MHz`;
    default:
      return compact(value);
  }
}

/** At most 3 significant digits, no trailing zeros. */
function trim(value: number): string {
  if (value === 0) return '0';
  return String(Number(value.toPrecision(3)));
}

function compact(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${trim(value / 1e9)}G`;
  if (abs >= 1e6) return `${trim(value / 1e6)}M`;
  if (abs >= 1e4) return `${trim(value / 1e3)}k`;
  return trim(value);
}

function duration(seconds: number): string {
  const abs = Math.abs(seconds);
  if (abs < 1) return `${trim(seconds * 1000)} ms`;
  if (abs < 120) return `${trim(seconds)} s`;
  if (abs < 7200) return `${trim(seconds / 60)} min`;
  if (abs < 172_800) return `${trim(seconds / 3600)} h`;
  return `${trim(seconds / 86_400)} d`;
}

function bytes(value: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let scaled = value;
  let index = 0;
  while (Math.abs(scaled) >= 1024 && index < units.length - 1) {
    scaled /= 1024;
    index += 1;
  }
  return `${trim(scaled)} ${units[index]}`;
}

/** A Grafana legend format filled from a series' labels: `{{task_group}} running` → `api running`. */
export function formatLegend(legend: string, labels: Readonly<Record<string, string>>): string {
  const text = legend.replace(/\{\{\s*([A-Za-z_]\w*)\s*\}\}/g, (_, name: string) => labels[name] ?? '');
  return text.trim() || '{}';
}
