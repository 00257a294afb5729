variable "env" {
  description = "drover environment name (environments/clusters/<env>.ts env)."
  type        = string
}

variable "cluster_dir" {
  description = "Folder `drover cluster render <env>` wrote (cluster/<env>): <role>/files.json says which files go where on each kind of machine."
  type        = string
}

variable "project_dir" {
  description = "The drover project (repository root): files.json names its sources relative to it (cluster/<env>/..., prometheus/...)."
  type        = string
}

variable "servers" {
  description = "The server hosts (servers.hosts of the cluster definition), in the order they are restarted, one at a time."
  type = list(object({
    name    = string
    address = string
  }))

  validation {
    condition     = length(var.servers) % 2 == 1 && length(var.servers) <= 7
    error_message = "Give 1, 3, 5 or 7 servers: raft needs an odd count, and the rolling chain has seven places."
  }
}

variable "client_pools" {
  description = "Client hosts of each pool (clients[].hosts), keyed by pool name: files come from <cluster_dir>/client-<pool>/."
  type = map(list(object({
    name    = string
    address = string
  })))
}

variable "ssh_user" {
  description = "User Terraform logs in as (platform.sshUser); needs passwordless sudo."
  type        = string
}

variable "ssh_private_key_file" {
  description = "Private key on the admin's machine; null uses the running ssh-agent."
  type        = string
  default     = null
}

variable "ssh_port" {
  description = "SSH port of every host."
  type        = number
  default     = 22
}

variable "ssh_host_keys" {
  description = "Public host key of each host by name (as in known_hosts, without the address), so Terraform refuses a host that is not the one you think; hosts not listed are trusted on first use."
  type        = map(string)
  default     = {}
}

variable "bastion_host" {
  description = "Jump host to reach the hosts through; null connects directly."
  type        = string
  default     = null
}

variable "bastion_user" {
  description = "User on the jump host; null uses ssh_user."
  type        = string
  default     = null
}

variable "server_secret_files" {
  description = "Files from the admin's machine put on every server before install.sh runs: the TLS CA, certificates and keys under tls.dir, the gossip key files (gossip.*.path). owner is user:group (e.g. root:consul for Consul's key, readable by the agent; the user is created if missing, as install.sh would). Only their hashes reach Terraform's state."
  type = list(object({
    source      = string
    destination = string
    mode        = optional(string, "0640")
    owner       = optional(string, "root:root")
  }))
  default = []
}

variable "client_secret_files" {
  description = "As server_secret_files, for every client (client certificates, the Consul gossip key)."
  type = list(object({
    source      = string
    destination = string
    mode        = optional(string, "0640")
    owner       = optional(string, "root:root")
  }))
  default = []
}

variable "ca_file" {
  description = "CA certificate on the hosts (<tls.dir>/ca.pem), used to check on a restarted server over HTTPS on localhost."
  type        = string
  default     = "/etc/drover/tls/ca.pem"
}

variable "ports" {
  description = "Agent ports of the cluster definition that the restart wait asks on localhost."
  type = object({
    nomad_http  = number
    consul_http = number
    vault_api   = number
  })
  default = {
    nomad_http  = 4646
    consul_http = 8500
    vault_api   = 8200
  }
}

variable "restart_timeout_seconds" {
  description = "How long a restarted server may take to rejoin (and, with key shares, to be unsealed by you) before the apply stops, leaving the next servers untouched."
  type        = number
  default     = 900
}
