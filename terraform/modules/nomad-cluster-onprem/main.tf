# A drover cluster on your own machines, provisioned over SSH with the files
# `drover cluster render <env>` wrote: each <role>/files.json says what goes where. A host is
# provisioned again only when what it would receive changes (hashes in terraform_data's
# triggers), then restarted; servers one at a time (servers.tf), clients after them (clients.tf).

locals {
  # Kinds of machine, as cluster render names its folders: server, client-<pool>.
  roles = merge({ server = var.servers }, { for pool, hosts in var.client_pools : "client-${pool}" => hosts })

  manifests = { for role in keys(local.roles) : role => jsondecode(file("${var.cluster_dir}/${role}/files.json")).files }

  # files.json entries are files or folders (prometheus/rules): a folder becomes one entry per file
  # in it. fileset() lists regular files only, so a file's own path matches itself exactly once.
  role_files = {
    for role, entries in local.manifests : role => flatten([
      for entry in entries : length(fileset(var.project_dir, entry.source)) == 1
      ? [{ source = "${var.project_dir}/${entry.source}", destination = entry.destination, mode = entry.mode }]
      : [for name in sort(fileset("${var.project_dir}/${entry.source}", "**")) : { source = "${var.project_dir}/${entry.source}/${name}", destination = "${entry.destination}/${name}", mode = entry.mode }]
    ])
  }

  files_scripts = {
    for role, files in local.role_files : role => templatefile("${path.module}/templates/write-files.sh.tftpl", {
      files = [for file in files : { destination = file.destination, mode = file.mode, owner = "root:root", content = filebase64(file.source) }]
    })
  }

  # Certificates, keys and gossip keys from the admin's machine: the scripts carrying them are
  # sensitive, so plans never show them and only their hashes are stored.
  secrets_scripts = {
    for kind, files in { server = var.server_secret_files, client = var.client_secret_files } : kind => sensitive(templatefile("${path.module}/templates/write-files.sh.tftpl", {
      files = [for file in files : { destination = file.destination, mode = file.mode, owner = file.owner, content = filebase64(file.source) }]
    }))
  }

  apply_scripts = {
    for role in keys(local.roles) : role => templatefile("${path.module}/templates/apply.sh.tftpl", {
      env          = var.env
      role         = role
      server       = role == "server"
      server_count = length(var.servers)
      staging_dir  = local.staging_dir
      ca_file      = var.ca_file
      ports        = var.ports
      timeout      = var.restart_timeout_seconds
    })
  }

  # Private to the SSH user (checked before anything is uploaded): the secrets pass through it.
  staging_dir = "/tmp/drover-provision-${var.ssh_user}"

  ssh_private_key = var.ssh_private_key_file == null ? null : sensitive(file(var.ssh_private_key_file))

  ssh = {
    user         = var.ssh_user
    port         = var.ssh_port
    bastion_host = var.bastion_host
    bastion_user = coalesce(var.bastion_user, var.ssh_user)
  }
}
