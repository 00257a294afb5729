variable "nomad_address" {
  description = "Base URL of the Nomad HTTP API as Vault reaches it, e.g. https://nomad.qa.example.internal:4646. Vault fetches the workload identity signing keys from <nomad_address>/.well-known/jwks.json."
  type        = string

  validation {
    condition     = can(regex("^https?://[^/@]+$", trimsuffix(var.nomad_address, "/")))
    error_message = "nomad_address must be scheme://host[:port] without a path or credentials."
  }
}

variable "jwks_ca_pem" {
  description = "PEM CA bundle Vault uses to verify Nomad's TLS certificate when fetching the JWKS. null uses Vault's system roots."
  type        = string
  default     = null
}

variable "jwt_auth_path" {
  description = "Mount path of the JWT auth method; must equal the environment's vault.jwtAuthPath and the Nomad clients' vault.jwt_auth_backend_path."
  type        = string
  default     = "jwt-nomad"
}

variable "policies_dir" {
  description = "Folder drover renders for one environment: <job>.hcl policies and roles/<job>.json JWT roles (vault-policies/<env>)."
  type        = string
}

variable "name_prefix" {
  description = "Prefix that turns a file name into the policy and role name drover's jobs use (drover-<job>). Must match vaultRoleName() in drover."
  type        = string
  default     = "drover-"
}

variable "deployer_policy_file" {
  description = "Hand-written policy for drover's read-only preflight token (vault-policies/drover-deployer.hcl); null to manage it elsewhere."
  type        = string
  default     = null
}

variable "deployer_policy_name" {
  description = "Name of the deployer policy in Vault."
  type        = string
  default     = "drover-deployer"
}
