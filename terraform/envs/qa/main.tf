# The qa environment: its cluster (cluster.tf) and the Vault side of Nomad workload
# identities (environments/qa.ts). terraform/README.md has the whole procedure.
#
#   drover cluster render qa   # cluster/qa/, committed
#   terraform -chdir=terraform/envs/qa init
#   terraform -chdir=terraform/envs/qa apply -target=module.cluster   # first time only
#   # initialise and unseal OpenBao, bootstrap the ACLs (README), then:
#   export VAULT_TOKEN=...   # an admin token, from your shell or CI; never in a file
#   terraform -chdir=terraform/envs/qa apply
#
# Apply again after `drover render qa` changed vault-policies/qa/ or cluster/qa/, before
# deploying the jobs.

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    vault = {
      source  = "hashicorp/vault"
      version = ">= 4.0.0, < 6.0.0"
    }
    consul = {
      source  = "hashicorp/consul"
      version = ">= 2.16.0, < 3.0.0"
    }
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0.0, < 6.0.0"
    }
  }
}

variable "vault_address" {
  description = "Vault API address (environments/qa.ts vault.address)."
  type        = string
  default     = "https://vault.qa.example.internal:8200"
}

variable "vault_ca_cert_file" {
  description = "CA bundle for Vault's TLS certificate; null uses the system roots."
  type        = string
  default     = null
}

variable "nomad_address" {
  description = "Nomad API address as Vault reaches it (environments/qa.ts nomad.address)."
  type        = string
  default     = "https://nomad.qa.example.internal:4646"
}

variable "nomad_ca_cert_file" {
  description = "CA bundle Vault uses to verify Nomad's TLS certificate when fetching the JWKS; null uses Vault's system roots."
  type        = string
  default     = null
}

# The token comes from VAULT_TOKEN (or the provider's other environment-based auth).
provider "vault" {
  address      = var.vault_address
  ca_cert_file = var.vault_ca_cert_file
}

module "vault_nomad_workloads" {
  source = "../../modules/vault-nomad-workloads"

  nomad_address        = var.nomad_address
  jwks_ca_pem          = var.nomad_ca_cert_file == null ? null : file(var.nomad_ca_cert_file)
  policies_dir         = "${path.root}/../../../vault-policies/qa"
  deployer_policy_file = "${path.root}/../../../vault-policies/drover-deployer.hcl"
}

output "vault_nomad_workloads" {
  value = module.vault_nomad_workloads
}
