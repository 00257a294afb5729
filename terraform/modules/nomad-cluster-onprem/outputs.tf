output "server_addresses" {
  description = "Server addresses in restart order."
  value       = [for server in var.servers : server.address]
}

output "client_addresses" {
  description = "Client addresses of each pool."
  value       = { for pool, hosts in var.client_pools : pool => [for host in hosts : host.address] }
}

output "provisioned_files" {
  description = "Destination of every rendered file put on each kind of machine (from files.json)."
  value       = { for role, files in local.role_files : role => sort([for file in files : file.destination]) }
}
