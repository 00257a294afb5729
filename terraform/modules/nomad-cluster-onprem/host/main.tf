# One machine: upload the scripts into a folder only the SSH user can read, run them with sudo.
# Replaced (and so run again) only when what the machine would receive changes.

resource "terraform_data" "provision" {
  triggers_replace = {
    address = var.host.address
    files   = sha256(var.files_script)
    secrets = nonsensitive(sha256(var.secrets_script))
    apply   = sha256(var.apply_script)
  }

  connection {
    type                = "ssh"
    host                = var.host.address
    port                = var.ssh.port
    user                = var.ssh.user
    private_key         = var.ssh_private_key
    agent               = var.ssh_private_key == null
    host_key            = var.host_key
    bastion_host        = var.ssh.bastion_host
    bastion_user        = var.ssh.bastion_user
    bastion_private_key = var.ssh_private_key
    timeout             = "5m"
  }

  # Refuses a staging folder someone else made or opened up, before any secret is uploaded.
  provisioner "remote-exec" {
    inline = [
      "set -eu",
      "mkdir -p -m 0700 '${var.staging_dir}'",
      "test \"$(stat -c %u:%a '${var.staging_dir}')\" = \"$(id -u):700\" || { echo '${var.staging_dir} on ${var.host.name} is not private to ${var.ssh.user}: remove it and apply again' >&2; exit 1; }",
    ]
  }

  provisioner "file" {
    content     = var.files_script
    destination = "${var.staging_dir}/files.sh"
  }

  provisioner "file" {
    content     = var.secrets_script
    destination = "${var.staging_dir}/secrets.sh"
  }

  provisioner "file" {
    content     = var.apply_script
    destination = "${var.staging_dir}/apply.sh"
  }

  provisioner "remote-exec" {
    inline = ["sudo bash '${var.staging_dir}/apply.sh'"]
  }
}
