import { at } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { field } from './lib/index.ts';
import { tasksOf } from './lib/visit.ts';

/** Rule `task/memory-max`: memoryMaxMb, when set, is at least memoryMb. */
export const memoryMaxRule: Rule = {
  id: 'task/memory-max',
  description: 'memoryMaxMb, when set, is at least memoryMb.',
  check({ jobs }) {
    return tasksOf(jobs).flatMap(({ file, path, task }) => {
      const memoryMb = field(task.resources, 'memoryMb');
      const memoryMaxMb = field(task.resources, 'memoryMaxMb');
      // Non-numbers are task/resources' business; compare only what can be compared.
      if (typeof memoryMaxMb !== 'number' || typeof memoryMb !== 'number' || memoryMaxMb >= memoryMb) return [];
      return [
        problem('task/memory-max', { file, path: at(at(path, 'resources'), 'memoryMaxMb') }, `memoryMaxMb ${memoryMaxMb} is below memoryMb ${memoryMb}`, 'Raise memoryMaxMb to at least memoryMb, or remove it to disable oversubscription.'),
      ];
    });
  },
};
