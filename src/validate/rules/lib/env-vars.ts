import { at } from '../../diagnostic.ts';
import type { TaskSpec } from '../../../model/task.ts';
import { entriesOf, field, list } from './shape.ts';

/** One environment variable a task receives, wherever it is declared. */
export interface EnvVar {
  readonly name: unknown;
  /** Location of the name: `…env.NAME`, `…secrets[i].env` or `…config[i].env`. */
  readonly path: string;
  readonly source: 'env' | 'secrets' | 'config';
}

/** Every variable of a task from `env`, `secrets` and `config`, in declaration order. */
export function envVarsOf(task: TaskSpec, taskPath: string): EnvVar[] {
  return [
    ...entriesOf(task.env).map(([name]) => ({ name, path: at(at(taskPath, 'env'), name), source: 'env' as const })),
    ...list(task.secrets).map((ref, i) => ({ name: field(ref, 'env'), path: at(at(at(taskPath, 'secrets'), i), 'env'), source: 'secrets' as const })),
    ...list(task.config).map((ref, i) => ({ name: field(ref, 'env'), path: at(at(at(taskPath, 'config'), i), 'env'), source: 'config' as const })),
  ];
}
