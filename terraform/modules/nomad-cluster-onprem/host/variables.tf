variable "host" {
  description = "The machine: name (for messages and host keys) and address Terraform connects to."
  type = object({
    name    = string
    address = string
  })
}

variable "host_key" {
  description = "The host's public SSH key; null trusts it on first use."
  type        = string
  default     = null
}

variable "ssh" {
  description = "How to log in: user (with passwordless sudo), port, optional jump host."
  type = object({
    user         = string
    port         = number
    bastion_host = string
    bastion_user = string
  })
}

variable "ssh_private_key" {
  description = "Private key text; null uses the ssh-agent."
  type        = string
  default     = null
  sensitive   = true
}

variable "staging_dir" {
  description = "Folder on the host, private to the SSH user, that the scripts are uploaded to and that apply.sh removes."
  type        = string
}

variable "files_script" {
  description = "Script writing the rendered files of this kind of machine (templates/write-files.sh.tftpl)."
  type        = string
}

variable "secrets_script" {
  description = "Script writing the certificates and keys from the admin's machine."
  type        = string
  sensitive   = true
}

variable "apply_script" {
  description = "Script that runs both, then install.sh (templates/apply.sh.tftpl)."
  type        = string
}
