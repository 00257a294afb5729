/** `drover consul-sd`: its help text and flags, apart from its code so that `--help` and completion load nothing else. */
import { COMMON_OPTIONS } from '../args.ts';

/** `drover consul-sd --help`. */
export const CONSUL_SD_HELP = `drover consul-sd [--consul <addr>] [--listen <host:port>]

Serves Consul's catalog as Prometheus HTTP service discovery, for a Prometheus built without
consul_sd_configs (Debian's package): each GET answers every service instance as a target group
with the labels consul_sd would give it (__meta_consul_service, _service_id, _tags as ",a,b,",
_service_metadata_<key>, _node, _dc, …), so the relabeling of prometheus/prometheus.yml's apps job
works unchanged. Point Prometheus at it:

  scrape_configs:
    - job_name: apps
      http_sd_configs: [{ url: "http://127.0.0.1:9116/", refresh_interval: 5s }]
      relabel_configs: …   # as in prometheus/prometheus.yml

Consul is read on each request with CONSUL_HTTP_TOKEN (needs service:read and node:read) and
CONSUL_CACERT; when it cannot be read the answer is a 503 naming why, and Prometheus keeps the
targets it had. \`drover up\` runs one for its Prometheus. Runs until Ctrl-C (SIGINT) or SIGTERM.

Options:
  --consul <addr>       Consul's HTTP address (default: CONSUL_HTTP_ADDR)
  --listen <host:port>  where to answer (default: 127.0.0.1:9116; port 0 takes a free one)
  -h, --help            show this help

Exit 0 stopped by a signal, 64 usage error (no Consul address, a bad --listen), 69 the port is taken.
`;

export const CONSUL_SD_OPTIONS = {
  consul: { type: 'string' },
  listen: { type: 'string' },
  help: COMMON_OPTIONS.help,
} as const;
