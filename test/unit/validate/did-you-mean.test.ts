import { describe, expect, it } from 'vitest';
import { didYouMean, didYouMeanText, editDistance } from '../../../src/validate/did-you-mean.ts';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps as one edit each', () => {
    expect(editDistance('interval', 'intervl')).toBe(1);
    expect(editDistance('dependsOn', 'dependsOnn')).toBe(1);
    expect(editDistance('deploy', 'dpeloy')).toBe(1);
    expect(editDistance('render', 'plan')).toBe(6);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('didYouMean', () => {
  const keys = ['minHealthyTime', 'healthyDeadline', 'progressDeadline', 'canary', 'maxParallel', 'autoRevert'];

  it('finds the key a typo was meant to be, nearest first', () => {
    expect(didYouMean('minHealthyTim', keys)).toEqual(['minHealthyTime']);
    expect(didYouMean('cannary', keys)).toEqual(['canary']);
    expect(didYouMean('autorevert', keys)).toEqual(['autoRevert']);
  });

  it('suggests nothing for a name far from every known one', () => {
    expect(didYouMean('xyz', keys)).toEqual([]);
    expect(didYouMeanText('completelyDifferent', keys)).toBe('');
  });

  it('offers the commands a prefix starts', () => {
    expect(didYouMean('rel', ['releases', 'release', 'render'])).toEqual(['release', 'releases']);
  });

  it('words the suggestion for one and for several names', () => {
    expect(didYouMeanText('plna', ['plan', 'deploy'])).toBe(' Did you mean "plan"?');
    expect(didYouMeanText('releas', ['release', 'releases'])).toBe(' Did you mean "release" or "releases"?');
  });
});
