import { describe, expect, it } from 'vitest';
import { codeFrame, syntaxErrorPosition } from '../../../src/project/code-frame.ts';

describe('syntaxErrorPosition', () => {
  it("reads esbuild's errors[0].location (0-based column) when the error still has it", () => {
    const error = Object.assign(new Error('Transform failed with 1 error'), {
      errors: [{ text: 'Expected identifier but found ","', location: { file: '/p/jobs/api.ts', line: 13, column: 21, lineText: "  owner: 'x',," } }],
    });
    expect(syntaxErrorPosition(error)).toEqual({ file: '/p/jobs/api.ts', line: 13, column: 22, text: 'Expected identifier but found ","' });
  });

  it('parses the message when only the text crossed the loader thread', () => {
    const error = new Error('Transform failed with 1 error:\n/p/jobs/api.ts:13:21: ERROR: Expected identifier but found ","');
    expect(syntaxErrorPosition(error)).toEqual({ file: '/p/jobs/api.ts', line: 13, column: 22, text: 'Expected identifier but found ","' });
    expect(syntaxErrorPosition(new Error('Cannot find module ./x'))).toBeUndefined();
  });
});

describe('codeFrame', () => {
  it('numbers the lines around the error and puts a caret under the column', () => {
    const source = ['a', 'b', 'ccc,,', 'd', 'e', 'f'].join('\n');
    expect(codeFrame(source, 3, 5)).toBe(['  1 | a', '  2 | b', '> 3 | ccc,,', '    |     ^', '  4 | d', '  5 | e'].join('\n'));
    expect(codeFrame(source, 1, 1, 1)).toBe(['> 1 | a', '    | ^', '  2 | b'].join('\n'));
  });
});
