# The prod cluster on our own machines (environments/clusters/prod.ts), provisioned over SSH
# with cluster/prod/ as `drover cluster render prod` wrote it. Prod comes second, after qa.
# The first apply targets this module alone; Vault's side (main.tf) needs the cluster running
# and initialised (terraform/README.md, "Order").

variable "ssh_private_key_file" {
  description = "Private key of the provision user on the admin's machine; null uses the ssh-agent."
  type        = string
  default     = null
}

variable "ssh_host_keys" {
  description = "Host public keys by host name (from known_hosts, without the address); unlisted hosts are trusted on first use."
  type        = map(string)
  default     = {}
}

variable "bastion_host" {
  description = "Jump host into the prod networks; null connects directly."
  type        = string
  default     = null
}

variable "secrets_dir" {
  description = "Folder on the admin's machine (never in this repository) with server/ and client/ certificates (ca.pem, nomad.pem, nomad-key.pem, consul.pem, consul-key.pem; vault.pem, vault-key.pem on servers) and gossip/consul.key, gossip/nomad.key."
  type        = string
}

locals {
  # Where environments/clusters/prod.ts tls.dir and gossip paths say the files are on the hosts.
  tls_files = [
    { name = "ca.pem", mode = "0644", owner = "root:root" },
    { name = "nomad.pem", mode = "0644", owner = "root:root" },
    { name = "nomad-key.pem", mode = "0600", owner = "root:root" },
    { name = "consul.pem", mode = "0644", owner = "root:root" },
    { name = "consul-key.pem", mode = "0640", owner = "root:consul" },
  ]
  server_tls_files = concat(local.tls_files, [
    { name = "vault.pem", mode = "0644", owner = "root:root" },
    { name = "vault-key.pem", mode = "0640", owner = "root:openbao" },
  ])
}

module "cluster" {
  source = "../../modules/nomad-cluster-onprem"

  env         = "prod"
  cluster_dir = "${path.root}/../../../cluster/prod"
  project_dir = "${path.root}/../../.."

  # environments/clusters/prod.ts servers.hosts and clients[].hosts (test/terraform checks they agree).
  servers = [
    { name = "prod-server-1", address = "10.10.0.11" },
    { name = "prod-server-2", address = "10.10.0.12" },
    { name = "prod-server-3", address = "10.10.0.13" },
  ]
  client_pools = {
    prod1 = [
      { name = "prod1-client-1", address = "10.10.1.11" },
      { name = "prod1-client-2", address = "10.10.1.12" },
      { name = "prod1-client-3", address = "10.10.1.13" },
    ]
    prod2 = [
      { name = "prod2-client-1", address = "10.20.1.11" },
      { name = "prod2-client-2", address = "10.20.1.12" },
      { name = "prod2-client-3", address = "10.20.1.13" },
    ]
    storage = [
      { name = "prod1-db-1", address = "10.10.2.11" },
    ]
  }

  ssh_user             = "provision"
  ssh_private_key_file = var.ssh_private_key_file
  ssh_host_keys        = var.ssh_host_keys
  bastion_host         = var.bastion_host

  server_secret_files = concat(
    [for file in local.server_tls_files : { source = "${var.secrets_dir}/server/${file.name}", destination = "/etc/drover/tls/${file.name}", mode = file.mode, owner = file.owner }],
    [for key in ["consul", "nomad"] : { source = "${var.secrets_dir}/gossip/${key}.key", destination = "/etc/drover/gossip/${key}.key", mode = "0600", owner = "root:root" }],
  )
  client_secret_files = concat(
    [for file in local.tls_files : { source = "${var.secrets_dir}/client/${file.name}", destination = "/etc/drover/tls/${file.name}", mode = file.mode, owner = file.owner }],
    [{ source = "${var.secrets_dir}/gossip/consul.key", destination = "/etc/drover/gossip/consul.key", mode = "0600", owner = "root:root" }],
  )
}

output "cluster" {
  description = "Server and client addresses in provisioning order, and the files put on each kind of machine."
  value       = module.cluster
}
