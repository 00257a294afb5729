/**
 * drover's own vocabulary for dashboards: what a panel shows and how to read it, independent of
 * Grafana. `grafana.ts` lowers it into Grafana's dashboard JSON and `html.ts` into a static page,
 * so both show the same panels with the same queries.
 */

/** How a panel draws its queries. */
export type PanelKind = 'timeseries' | 'stat' | 'table';

/**
 * Units by Grafana's unit ids (the static page formats them the same way).
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/configure-standard-options/#unit
 */
export type PanelUnit = 'none' | 'short' | 'percentunit' | 'reqps' | 's' | 'bytes' | 'dateTimeFromNow' | 'mhz';

/** One PromQL query of a panel. */
export interface PanelQuery {
  /** PromQL; may use the dashboard's variables (`$datacenter`) and `$__rate_interval`. */
  readonly expr: string;
  /** Series name as Grafana's legend format: `{{task_group}}` picks a label. */
  readonly legend: string;
}

/** A value a stat or series turns red (or amber) at. */
export interface Threshold {
  readonly value: number;
  readonly color: 'green' | 'orange' | 'red';
}

/** One panel: a title a person understands, what it means, and the queries behind it. */
export interface Panel {
  readonly title: string;
  /** What the panel shows and how to read it (Grafana shows it as the panel's info tooltip). */
  readonly description: string;
  readonly kind: PanelKind;
  readonly unit: PanelUnit;
  readonly queries: readonly PanelQuery[];
  /** Ascending; below the first the colour is `baseColor`. @default [] */
  readonly thresholds?: readonly Threshold[];
  /** Colour below every threshold: red where low is bad (servers up). @default "green" */
  readonly baseColor?: Threshold['color'];
  /** Stat panels that map a number to a word (exit codes, outcomes). */
  readonly valueText?: Readonly<Record<string, string>>;
  /** Grid columns out of 24. @default 8 (stat: 4) */
  readonly width?: number;
}

/** A titled group of panels: a job, a route, a part of the cluster. */
export interface PanelRow {
  readonly title: string;
  readonly panels: readonly Panel[];
}

/** A dashboard variable filled from a label's values (`label_values(metric, label)`). */
export interface LabelVariable {
  /** Referenced as `$name` in queries. */
  readonly name: string;
  readonly label: string;
  /** The series and label to list, e.g. `nomad_client_uptime` and `datacenter`. */
  readonly metric: string;
  readonly labelName: string;
}

/** One dashboard of one environment. */
export interface Dashboard {
  /** Stable id: Grafana's uid and the file name, e.g. `drover-prod-jobs`. */
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly env: string;
  readonly tags: readonly string[];
  readonly variables: readonly LabelVariable[];
  readonly rows: readonly PanelRow[];
  /** What `$__rate_interval` means where no Grafana computes it: 4 × the scrape interval. */
  readonly rateInterval: string;
}
