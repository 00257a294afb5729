import { describe, expect, it } from 'vitest';
import { promotionOrder, releaseChainOf } from '../../../src/config/promotion-chain.ts';

const env = (name: string, releasesFrom?: string) => ({ name, promotion: releasesFrom ? { releasesFrom } : {} });
const project = [env('dev'), env('qa'), env('staging', 'qa'), env('prod', 'staging'), env('sandbox')];

describe('releaseChainOf', () => {
  it('follows releasesFrom both ways from any member of the chain', () => {
    for (const name of ['qa', 'staging', 'prod']) expect(releaseChainOf(project, name)).toEqual(['prod', 'qa', 'staging']);
  });

  it('is the environment alone when nothing links to it', () => {
    expect(releaseChainOf(project, 'dev')).toEqual(['dev']);
  });

  it('keeps promotionOrder putting standalone environments first, by name', () => {
    expect(promotionOrder(project).map((e) => e.name)).toEqual(['dev', 'qa', 'sandbox', 'staging', 'prod']);
  });
});
