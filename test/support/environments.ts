import type { Environment } from '../../src/config/environment.ts';
import dev from '../../environments/dev.ts';
import prod from '../../environments/prod.ts';
import qa from '../../environments/qa.ts';
import type { RenderContext } from '../../src/render/context.ts';

export const environments: readonly Environment[] = [dev, qa, prod];

/** A render context with fixed inputs, so renders are comparable across runs. */
export function aContext(env: Environment = qa, overrides: Partial<RenderContext> = {}): RenderContext {
  return { env, project: 'drover', gitSha: '0123456789abcdef0123456789abcdef01234567', release: 'r-test', ...overrides };
}
