import { CONSUL_ENV_FILE, VAULT_ENV_FILE } from '../../render/templates.ts';
import { at } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { field, list, show } from './lib/index.ts';
import { tasksOf } from './lib/visit.ts';

const ID = 'template/destination';
/** Task directories a template may write to: local/ (private), secrets/ (private, noexec), alloc/ (shared). */
const ROOTS = ['local/', 'secrets/', 'alloc/'];

function destinationProblem(destination: unknown): string | undefined {
  if (typeof destination !== 'string' || destination.length === 0) return 'is missing';
  if (destination.startsWith('/')) return 'is absolute';
  if (destination.split('/').includes('..')) return 'climbs out of the task directory with ".."';
  if (!ROOTS.some((root) => destination.startsWith(root)) || ROOTS.includes(destination)) return `is not a file inside ${ROOTS.join(', ')}`;
  // drover renders secrets and config references to these files; a user template would replace them.
  if (destination === VAULT_ENV_FILE || destination === CONSUL_ENV_FILE) return 'is a file drover writes for secrets/config';
  return undefined;
}

/** Rule `template/destination`: template destinations are relative files inside local/, secrets/ or alloc/. */
export const templateDestinationRule: Rule = {
  id: ID,
  description: 'Template destinations are relative files inside local/, secrets/ or alloc/.',
  check({ jobs }) {
    return tasksOf(jobs).flatMap(({ file, task, path }) =>
      list(task.templates).flatMap((template, i) => {
        const destination = field(template, 'destination');
        const reason = destinationProblem(destination);
        if (!reason) return [];
        return [problem(ID, { file, path: at(at(at(path, 'templates'), i), 'destination') }, `Template destination ${show(destination)} ${reason}`, 'Write a path relative to the task directory, e.g. "local/app.conf" (or "secrets/" for sensitive files).')];
      }),
    );
  },
};
