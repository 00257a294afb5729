import { describe, expect, it } from 'vitest';
import { findKeyPosition, lastKey, withKeyPositions } from '../../../src/validate/source-position.ts';
import type { Diagnostic } from '../../../src/validate/diagnostic.ts';

const source = [
  "export default defineJob((env) => ({", // 1
  "  id: 'api',", // 2
  "  update: { strategy: 'rolling', minHealthyTim: '10s' },", // 3
  "  // minHealthyTim: in a comment does not count", // 4
  "  meta: { 'drover.x': 'minHealthyTim: in a string' },", // 5
  "  groups: [{ name: 'a', count: 1 }, { name: 'b', count: 2 }],", // 6
  "}));",
].join('\n');

describe('findKeyPosition', () => {
  it('finds a key written once, at its 1-based line and column', () => {
    expect(findKeyPosition(source, 'minHealthyTim')).toEqual({ line: 3, column: 34 });
    expect(findKeyPosition(source, 'id')).toEqual({ line: 2, column: 3 });
    expect(findKeyPosition(source, 'drover.x')).toEqual({ line: 5, column: 11 });
  });

  it('gives up when the key occurs more than once or not at all', () => {
    expect(findKeyPosition(source, 'name')).toBeUndefined();
    expect(findKeyPosition(source, 'intervl')).toBeUndefined();
  });

  it('does not take a longer key or a member access for the key', () => {
    expect(findKeyPosition('a: { xid: 1, b: x.id }\n  id: 2', 'id')).toEqual({ line: 2, column: 3 });
  });
});

describe('lastKey', () => {
  it('reads the last key of a location path', () => {
    expect(lastKey('groups[0].update.minHealthyTim')).toBe('minHealthyTim');
    expect(lastKey('dependsOnn')).toBe('dependsOnn');
    expect(lastKey('groups[0].ports["my-port"]')).toBe('my-port');
    expect(lastKey('groups[0]')).toBeUndefined();
  });
});

describe('withKeyPositions', () => {
  const d = (rule: string, path: string): Diagnostic => ({ rule, severity: 'error', message: 'm', hint: 'h', location: { file: 'jobs/api.ts', path } });

  it("adds line and column to the named rules' diagnostics whose key is found, and leaves the rest alone", () => {
    const read = (file: string) => (file === 'jobs/api.ts' ? source : undefined);
    expect(withKeyPositions([d('job/unknown-key', 'update.minHealthyTim'), d('job/unknown-key', 'groups[1].name'), d('job/id', 'id')], ['job/unknown-key'], read)).toEqual([
      { ...d('job/unknown-key', 'update.minHealthyTim'), location: { file: 'jobs/api.ts', path: 'update.minHealthyTim', line: 3, column: 34 } },
      d('job/unknown-key', 'groups[1].name'),
      d('job/id', 'id'),
    ]);
  });
});
