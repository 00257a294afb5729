/** Inline SVG line charts for the static pages: no script, no external file. */
import type { PromSeries } from '../wire/prometheus-answer.ts';

/** Series colours, Grafana's classic palette order. */
export const PALETTE: readonly string[] = ['#73bf69', '#f2cc0c', '#8ab8ff', '#ff780a', '#f2495c', '#5794f2', '#b877d9', '#705da0', '#37872d', '#fade2a'];

const WIDTH = 300;
const HEIGHT = 80;

/** What to draw: the series, the time window, and the threshold lines. */
export interface SparklineInput {
  readonly series: readonly PromSeries[];
  readonly startMs: number;
  readonly endMs: number;
  readonly thresholds?: readonly { readonly value: number; readonly color: string }[];
}

/**
 * One `<svg>` with a polyline per series (gaps where a value is missing or not finite) and dashed
 * threshold lines that fall inside the drawn range. The y axis starts at 0 unless values go below.
 */
export function renderSparkline(input: SparklineInput): string {
  const values = input.series.flatMap((s) => s.points.map((p) => p.value)).filter(Number.isFinite);
  const low = Math.min(0, ...values);
  const high = Math.max(...values, low + 1e-9);
  const span = Math.max(input.endMs - input.startMs, 1);
  const x = (t: number) => (((t - input.startMs) / span) * WIDTH).toFixed(1);
  const y = (v: number) => (HEIGHT - 2 - ((v - low) / (high - low)) * (HEIGHT - 4)).toFixed(1);
  const lines = input.series.flatMap((series, index) =>
    segments(series).map((points) => `<polyline fill="none" stroke="${PALETTE[index % PALETTE.length]}" stroke-width="1.5" vector-effect="non-scaling-stroke" points="${points.map((p) => `${x(p.timeMs)},${y(p.value)}`).join(' ')}"/>`),
  );
  const rules = (input.thresholds ?? [])
    .filter((t) => t.value >= low && t.value <= high)
    .map((t) => `<line x1="0" x2="${WIDTH}" y1="${y(t.value)}" y2="${y(t.value)}" stroke="${t.color}" stroke-dasharray="4 3" stroke-width="1" vector-effect="non-scaling-stroke"/>`);
  return `<svg class="spark" viewBox="0 0 ${WIDTH} ${HEIGHT}" preserveAspectRatio="none" role="img" aria-label="${input.series.length} series">${[...rules, ...lines].join('')}</svg>`;
}

/** Runs of consecutive finite points (a single point is drawn as a tiny segment). */
function segments(series: PromSeries): { timeMs: number; value: number }[][] {
  const runs: { timeMs: number; value: number }[][] = [];
  let run: { timeMs: number; value: number }[] = [];
  for (const point of series.points) {
    if (Number.isFinite(point.value)) {
      run.push(point);
      continue;
    }
    if (run.length) runs.push(run);
    run = [];
  }
  if (run.length) runs.push(run);
  return runs.map((r) => (r.length === 1 ? [r[0]!, { timeMs: r[0]!.timeMs + 1, value: r[0]!.value }] : r));
}
