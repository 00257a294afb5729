/** Nomad HCL2 jobspec rendering of wire jobs, for admins who run `nomad job run` by hand. */
export { renderJobHcl } from './job.ts';
