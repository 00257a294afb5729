# Servers one at a time: each server's provisioning waits for the previous one's, which (on a
# host provisioned before) restarts its agents and waits until Consul and Nomad see every raft
# peer and a leader again and OpenBao/Vault is unsealed (templates/apply.sh.tftpl). Terraform has
# no ordering between instances of one resource, hence a chain of module calls, one per place.

module "server_1" {
  source = "./host"
  count  = length(var.servers) >= 1 ? 1 : 0

  host            = var.servers[0]
  host_key        = lookup(var.ssh_host_keys, var.servers[0].name, null)
  ssh             = local.ssh
  ssh_private_key = local.ssh_private_key
  staging_dir     = local.staging_dir
  files_script    = local.files_scripts["server"]
  secrets_script  = local.secrets_scripts["server"]
  apply_script    = local.apply_scripts["server"]
}

module "server_2" {
  source = "./host"
  count  = length(var.servers) >= 2 ? 1 : 0

  host            = var.servers[1]
  host_key        = lookup(var.ssh_host_keys, var.servers[1].name, null)
  ssh             = local.ssh
  ssh_private_key = local.ssh_private_key
  staging_dir     = local.staging_dir
  files_script    = local.files_scripts["server"]
  secrets_script  = local.secrets_scripts["server"]
  apply_script    = local.apply_scripts["server"]

  depends_on = [module.server_1]
}

module "server_3" {
  source = "./host"
  count  = length(var.servers) >= 3 ? 1 : 0

  host            = var.servers[2]
  host_key        = lookup(var.ssh_host_keys, var.servers[2].name, null)
  ssh             = local.ssh
  ssh_private_key = local.ssh_private_key
  staging_dir     = local.staging_dir
  files_script    = local.files_scripts["server"]
  secrets_script  = local.secrets_scripts["server"]
  apply_script    = local.apply_scripts["server"]

  depends_on = [module.server_2]
}

module "server_4" {
  source = "./host"
  count  = length(var.servers) >= 4 ? 1 : 0

  host            = var.servers[3]
  host_key        = lookup(var.ssh_host_keys, var.servers[3].name, null)
  ssh             = local.ssh
  ssh_private_key = local.ssh_private_key
  staging_dir     = local.staging_dir
  files_script    = local.files_scripts["server"]
  secrets_script  = local.secrets_scripts["server"]
  apply_script    = local.apply_scripts["server"]

  depends_on = [module.server_3]
}

module "server_5" {
  source = "./host"
  count  = length(var.servers) >= 5 ? 1 : 0

  host            = var.servers[4]
  host_key        = lookup(var.ssh_host_keys, var.servers[4].name, null)
  ssh             = local.ssh
  ssh_private_key = local.ssh_private_key
  staging_dir     = local.staging_dir
  files_script    = local.files_scripts["server"]
  secrets_script  = local.secrets_scripts["server"]
  apply_script    = local.apply_scripts["server"]

  depends_on = [module.server_4]
}

module "server_6" {
  source = "./host"
  count  = length(var.servers) >= 6 ? 1 : 0

  host            = var.servers[5]
  host_key        = lookup(var.ssh_host_keys, var.servers[5].name, null)
  ssh             = local.ssh
  ssh_private_key = local.ssh_private_key
  staging_dir     = local.staging_dir
  files_script    = local.files_scripts["server"]
  secrets_script  = local.secrets_scripts["server"]
  apply_script    = local.apply_scripts["server"]

  depends_on = [module.server_5]
}

module "server_7" {
  source = "./host"
  count  = length(var.servers) >= 7 ? 1 : 0

  host            = var.servers[6]
  host_key        = lookup(var.ssh_host_keys, var.servers[6].name, null)
  ssh             = local.ssh
  ssh_private_key = local.ssh_private_key
  staging_dir     = local.staging_dir
  files_script    = local.files_scripts["server"]
  secrets_script  = local.secrets_scripts["server"]
  apply_script    = local.apply_scripts["server"]

  depends_on = [module.server_6]
}
