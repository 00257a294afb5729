import { describe, expect, it } from 'vitest';
import { parseNomadWarnings } from '../../../src/plan/nomad-warnings.ts';

// Warnings strings as a real Nomad 2.0.5 answered them (plan and register of the same jobs).
const SHUTDOWN = 'group "web" defines services, but neither the group nor any of its tasks have shutdown_delay set';
const MAX_PARALLEL = 'Update max parallel count is greater than task group count (3 > 2). A destructive change would result in the simultaneous replacement of all allocations.';

describe("Nomad's Warnings string", () => {
  it('is empty for ""', () => {
    expect(parseNomadWarnings('')).toEqual([]);
  });

  it('drops the count header and the bullets', () => {
    expect(parseNomadWarnings(`1 warning:\n\n* ${SHUTDOWN}`)).toEqual([SHUTDOWN]);
    const memory = 'Memory oversubscription is not enabled; Task "web.nginx" memory_max value will be ignored. Update the Scheduler Configuration to allow oversubscription.';
    expect(parseNomadWarnings(`2 warnings:\n\n* ${SHUTDOWN}\n* ${memory}`)).toEqual([SHUTDOWN, memory]);
  });

  it("flattens a group's nested list into lines that keep the group", () => {
    expect(parseNomadWarnings(`1 warning:\n\n* Group "web" has warnings: 1 error occurred:\n\t* ${MAX_PARALLEL}`)).toEqual([`Group "web" has warnings: ${MAX_PARALLEL}`]);
    const two = `1 warning:\n\n* Group "web" has warnings: 2 errors occurred:\n\t* ${MAX_PARALLEL}\n\t* PreventRescheduleOnLost is deprecated and ignored in favor of Disconnect.Replace`;
    expect(parseNomadWarnings(two)).toEqual([`Group "web" has warnings: ${MAX_PARALLEL}`, 'Group "web" has warnings: PreventRescheduleOnLost is deprecated and ignored in favor of Disconnect.Replace']);
    const task = '1 warning:\n\n* Group "web" has warnings: 1 error occurred:\n\t* Task "web" has warnings: 1 error occurred:\n\t* IOPS has been deprecated as of Nomad 0.9.0. Please remove IOPS from resource block.';
    expect(parseNomadWarnings(task)).toEqual(['Group "web" has warnings: Task "web" has warnings: IOPS has been deprecated as of Nomad 0.9.0. Please remove IOPS from resource block.']);
  });

  it('keeps text of another shape line by line', () => {
    expect(parseNomadWarnings('something odd\n  and more\n')).toEqual(['something odd', 'and more']);
  });
});
