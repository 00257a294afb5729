import qa from './qa.ts';
import prod from './prod.ts';

declare module '../../../src/config/environment.ts' {
  /** This project's environments: `env.pick()` must name each. */
  interface EnvironmentNames {
    qa: true;
    prod: true;
  }
}

export default [qa, prod];
