import dev from './dev.ts';
import qa from './qa.ts';
import prod from './prod.ts';

declare module '../src/config/environment.ts' {
  /** This project's environments: `env.pick()` must name each. */
  interface EnvironmentNames {
    dev: true;
    qa: true;
    prod: true;
  }
}

export default [dev, qa, prod];
