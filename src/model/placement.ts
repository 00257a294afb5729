/**
 * Placement rules. Attribute strings use Nomad's interpolation, e.g. `${node.class}`.
 * @see https://developer.hashicorp.com/nomad/docs/job-specification/constraint
 */
export type ConstraintOperator =
  | '=' | '!=' | '>' | '>=' | '<' | '<='
  | 'distinct_hosts' | 'distinct_property' | 'regexp' | 'version' | 'semver'
  | 'set_contains' | 'set_contains_all' | 'set_contains_any' | 'is_set' | 'is_not_set';

export interface Constraint {
  readonly attribute?: string;
  /** @default "=" */
  readonly operator?: ConstraintOperator;
  readonly value?: string;
}

/** Soft preference. @see https://developer.hashicorp.com/nomad/docs/job-specification/affinity */
export interface Affinity {
  readonly attribute: string;
  /** @default "=" */
  readonly operator?: ConstraintOperator;
  readonly value: string;
  /** -100..100, negative = anti-affinity. @default 50 */
  readonly weight?: number;
}

/** Spread allocations over an attribute. @see https://developer.hashicorp.com/nomad/docs/job-specification/spread */
export interface Spread {
  readonly attribute: string;
  /** 0..100. @default 50 */
  readonly weight?: number;
  /** Desired percentage per attribute value, e.g. `{ dc1: 50, dc2: 50 }`. */
  readonly targets?: Readonly<Record<string, number>>;
}
