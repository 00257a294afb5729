variable "nomad_address" {
  description = "Base URL of the Nomad HTTP API as Consul's servers reach it, e.g. https://nomad.qa.example.internal:4646. Consul fetches the workload identity signing keys from <nomad_address>/.well-known/jwks.json."
  type        = string

  validation {
    condition     = can(regex("^https?://[^/@]+$", trimsuffix(var.nomad_address, "/")))
    error_message = "nomad_address must be scheme://host[:port] without a path or credentials."
  }
}

variable "jwks_ca_pem" {
  description = "PEM CA bundle Consul uses to verify Nomad's TLS certificate when fetching the JWKS. null uses Consul's system roots."
  type        = string
  default     = null
}

variable "auth_method_name" {
  description = "Name of Consul's JWT auth method; the Nomad agents' consul.service_auth_method and consul.task_auth_method (both default to nomad-workloads)."
  type        = string
  default     = "nomad-workloads"
}

variable "audiences" {
  description = "Audiences Consul accepts: the aud of the rendered nomad.hcl consul.service_identity and consul.task_identity."
  type        = list(string)
  default     = ["consul.io"]

  validation {
    condition     = length(var.audiences) > 0
    error_message = "Give at least one audience; an auth method without bound audiences accepts a JWT meant for anyone."
  }
}

variable "nomad_namespace" {
  description = "The environment's Nomad namespace (environments/<env>.ts nomad.namespace): its tasks get the role <name_prefix>tasks-<namespace>."
  type        = string
}

variable "kv_read_keys" {
  description = "Consul KV keys the environment's jobs read (their tasks' config[].key): tasks of the namespace may read exactly these."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for key in var.kv_read_keys : length(key) > 0 && !startswith(key, "/") && !endswith(key, "/")])
    error_message = "Write each key as drover does (config/key): no leading or trailing \"/\"."
  }
}

variable "fabio_job_id" {
  description = "Nomad job ID of Fabio (jobs/fabio.ts) in nomad_namespace; its tasks also get the role <name_prefix>fabio. null when Fabio does not run as a Nomad job."
  type        = string
  default     = "fabio"
}

variable "fabio_kv_prefix" {
  description = "Consul KV prefix Fabio reads (registry.consul.kvpath /fabio/config and its noroute page, without the leading \"/\")."
  type        = string
  default     = "fabio/"
}

variable "fabio_service_name" {
  description = "Service Fabio registers itself as (registry.consul.register.name)."
  type        = string
  default     = "fabio"
}

variable "name_prefix" {
  description = "Prefix of the Consul policies and roles this module creates."
  type        = string
  default     = "drover-"
}
