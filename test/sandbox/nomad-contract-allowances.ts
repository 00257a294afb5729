import type { Allowances } from './nomad-shape.ts';

/**
 * How the sandbox may differ from the answers recorded from a real Nomad 2.0.5
 * (test/fixtures/recorded/nomad/), used by test/contract/nomad-examples.test.ts. Every entry says
 * why the difference is legitimate; anything else the sandbox answers differently is a sandbox bug.
 */

/** Recorded Nomad calls the sandbox does not simulate (drover does not depend on them), with why. */
export const NOT_SIMULATED: Readonly<Record<string, string>> = {
  post_v1_jobs_parse: "HCL parsing is the real server's; drover sends JSON jobs",
  put_v1_validate_job: 'drover validates with its own rules; the sandbox validates on register',
  'put_v1_validate_job.invalid': 'same',
  get_v1_services: 'Nomad-provider services are not simulated (src/sandbox/README.md)',
  get_v1_service_name: 'same',
};

type Case = Allowances & { readonly shape?: 'by-group' };

/** Per recorded call: how to compare, and what may differ from the real answer, with why. */
export const ALLOWANCES: Readonly<Record<string, Case>> = {
  'get_v1_allocation_id': {
    missing: [
      // Legacy pre-0.9 resource fields the server still fills from AllocatedResources; drover
      // reads AllocatedResources only, so the sandbox does not duplicate them.
      'Resources', 'SharedResources', 'TaskResources',
      // The workload-identity signing key and the client's network hook status: the sandbox signs
      // no identities and runs no network hook.
      'SigningKeyID', 'NetworkStatus',
    ],
  },
  // Deployments, their lists and scale status key TaskGroups by group name.
  'get_v1_deployment_id': { shape: 'by-group' },
  'get_v1_job_id_deployment': { shape: 'by-group' },
  'get_v1_job_id_deployments': { shape: 'by-group' },
  'get_v1_deployments': { shape: 'by-group' },
  'get_v1_job_id_scale': { shape: 'by-group' },
};
