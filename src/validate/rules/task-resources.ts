import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { isInteger, isRecord, show } from './lib/index.ts';
import { tasksOf } from './lib/visit.ts';

const ID = 'task/resources';
/** Nomad's minimums (structs.MinResources): 1 MHz CPU, 10 MB memory. */
const MIN_CPU = 1;
const MIN_MEMORY_MB = 10;

/** Rule `task/resources`: tasks reserve integer resources: cpu ≥ 1 MHz, memoryMb ≥ 10 (Nomad's minimums). */
export const taskResourcesRule: Rule = {
  id: ID,
  description: `Tasks reserve integer resources: cpu ≥ ${MIN_CPU} MHz, memoryMb ≥ ${MIN_MEMORY_MB}.`,
  check({ jobs }) {
    return tasksOf(jobs).flatMap(({ file, task, path }): Diagnostic[] => {
      const resources: unknown = task.resources;
      const resourcesPath = at(path, 'resources');
      if (!isRecord(resources)) {
        return [problem(ID, { file, path: resourcesPath }, 'Task has no resources', 'Set resources, e.g. `{ cpu: 100, memoryMb: 128 }`; Nomad places tasks by what they reserve.')];
      }
      const found: Diagnostic[] = [];
      if (!isInteger(resources.cpu) || resources.cpu < MIN_CPU) {
        found.push(problem(ID, { file, path: at(resourcesPath, 'cpu') }, `cpu ${show(resources.cpu)} must be an integer number of MHz, at least ${MIN_CPU}`, 'Set cpu to the MHz the task needs, e.g. 100.'));
      }
      if (!isInteger(resources.memoryMb) || resources.memoryMb < MIN_MEMORY_MB) {
        found.push(problem(ID, { file, path: at(resourcesPath, 'memoryMb') }, `memoryMb ${show(resources.memoryMb)} must be an integer of at least ${MIN_MEMORY_MB}`, 'Set memoryMb to the memory the task needs in MB, e.g. 128.'));
      }
      return found;
    });
  },
};
