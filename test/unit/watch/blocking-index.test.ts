import { describe, expect, it } from 'vitest';
import { nextBlockingIndex } from '../../../src/watch/feed.ts';

describe('nextBlockingIndex', () => {
  it('never asks with index 0 after an answer of 0, which Nomad would not block on', () => {
    expect(nextBlockingIndex(0, 0)).toBe(1);
    expect(nextBlockingIndex(1, 0)).toBe(1);
  });

  it('follows the index forward', () => {
    expect(nextBlockingIndex(1, 17)).toBe(17);
    expect(nextBlockingIndex(17, 17)).toBe(17);
  });

  it('restarts with a non-blocking read when the index goes backwards, then blocks on the new index', () => {
    expect(nextBlockingIndex(40, 12)).toBe(0);
    expect(nextBlockingIndex(0, 12)).toBe(12);
  });
});
