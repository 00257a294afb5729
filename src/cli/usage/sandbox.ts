/** `drover sandbox`: its help text and flags, apart from its code so that `--help` and completion load nothing else. */

/** `drover sandbox --help`. */
export const SANDBOX_HELP = `drover sandbox [options]

Starts the drover sandbox: a SIMULATOR of the subset of the Nomad, Consul and Vault HTTP APIs
drover uses, for tests and demos. It is NOT a scheduler — nothing is run; allocations, health
checks, failures and Consul registrations are simulated. Prints the variables to export, then
runs until Ctrl-C (SIGINT) or SIGTERM.

Options:
  --nomad-port <n>     Nomad port (default 4646 if free, else random)
  --consul-port <n>    Consul port (default 8500 if free, else random)
  --vault-port <n>     Vault port (default 8200 if free, else random)
  --speed <x>          sandbox seconds per real second (default 1; 0 = frozen, advance via admin API)
  --seed <n>           seed for IDs, ports and injected faults (default 1)
  --namespace <ns>     extra Nomad namespace (repeatable; "default" always exists)
  --datacenter <dc>    datacenter of the simulated nodes (repeatable; default dc1)
  --acl-token <t>      require this Nomad management token (X-Nomad-Token or Bearer)
  --event-buffer <n>   event batches kept for stream resumes (default 100, as Nomad)
  -h, --help           show this help

Admin API (same port as Nomad): GET /_sandbox, POST /_sandbox/scenarios, /_sandbox/faults,
/_sandbox/clock/advance, /_sandbox/clock/speed, /_sandbox/event-stream/disconnect, /_sandbox/reset.
`;

export const SANDBOX_OPTIONS = {
  'nomad-port': { type: 'string' },
  'consul-port': { type: 'string' },
  'vault-port': { type: 'string' },
  speed: { type: 'string' },
  seed: { type: 'string' },
  namespace: { type: 'string', multiple: true },
  datacenter: { type: 'string', multiple: true },
  'acl-token': { type: 'string' },
  'event-buffer': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;
