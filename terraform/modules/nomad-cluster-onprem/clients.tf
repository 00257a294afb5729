# Clients after every server, all at once: a Nomad client that restarts reattaches to its running
# tasks, so the jobs keep running. Apply with -parallelism=1 to restart them one by one too.

locals {
  clients = merge([
    for pool, hosts in var.client_pools : { for host in hosts : host.name => { host = host, role = "client-${pool}" } }
  ]...)
}

module "client" {
  source   = "./host"
  for_each = local.clients

  host            = each.value.host
  host_key        = lookup(var.ssh_host_keys, each.key, null)
  ssh             = local.ssh
  ssh_private_key = local.ssh_private_key
  staging_dir     = local.staging_dir
  files_script    = local.files_scripts[each.value.role]
  secrets_script  = local.secrets_scripts["client"]
  apply_script    = local.apply_scripts[each.value.role]

  depends_on = [module.server_1, module.server_2, module.server_3, module.server_4, module.server_5, module.server_6, module.server_7]
}
