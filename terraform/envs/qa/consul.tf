# Consul's side of Nomad workload identities in qa: the JWT auth method trusting this Nomad's
# JWKS and what services and tasks may do with the tokens (environments/qa.ts). Applied with
# main.tf after the cluster is up and Consul's ACLs are bootstrapped (terraform/README.md, "Order").

variable "consul_address" {
  description = "Consul API address, host:port (environments/qa.ts consul.address)."
  type        = string
  default     = "consul.qa.example.internal:8501"
}

variable "consul_ca_cert_file" {
  description = "CA bundle for Consul's TLS certificate; null uses the system roots."
  type        = string
  default     = null
}

# The token comes from CONSUL_HTTP_TOKEN (acl = "write"), never from a file here.
provider "consul" {
  address = var.consul_address
  scheme  = "https"
  ca_file = var.consul_ca_cert_file
}

module "consul_nomad_workloads" {
  source = "../../modules/consul-nomad-workloads"

  nomad_address   = var.nomad_address
  jwks_ca_pem     = var.nomad_ca_cert_file == null ? null : file(var.nomad_ca_cert_file)
  nomad_namespace = "shop"
  # The Consul keys qa's jobs read (config[].key; test/terraform checks they agree).
  kv_read_keys = ["shop/api/feature_flags", "shop/api/log_level"]
}

output "consul_nomad_workloads" {
  value = module.consul_nomad_workloads
}
