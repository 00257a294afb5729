# The servers: fixed instances (raft peers are not cattle) with Elastic IPs, tagged for cloud
# auto-join, booted with the rendered server/user-data.yaml. That file is about 15 KB, close to
# EC2's 16 KB limit, so it goes gzipped (cloud-init unpacks it).

locals {
  server_user_data = base64gzip(file("${var.cluster_dir}/server/user-data.yaml"))
}

resource "aws_instance" "server" {
  count = var.server_count

  ami                    = var.ami_id
  instance_type          = var.server_instance_type
  subnet_id              = local.subnet_ids[count.index % length(local.subnet_ids)]
  vpc_security_group_ids = [aws_security_group.server.id]
  iam_instance_profile   = aws_iam_instance_profile.node.name
  key_name               = var.key_name
  user_data_base64       = local.server_user_data

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  root_block_device {
    volume_type = "gp3"
    volume_size = var.server_volume_gb
    encrypted   = true
  }

  tags = merge(local.tags, {
    Name                  = "drover-${var.env}-server-${count.index + 1}"
    (var.cluster_tag_key) = local.server_tag_value
    "drover-role"         = "server"
  })
  volume_tags = merge(local.tags, { Name = "drover-${var.env}-server-${count.index + 1}" })

  # A new rendering or AMI must not stop or replace every server at once (quorum). Replace them
  # one at a time with -replace (README.md, "Rolling changes"); the check below says when to.
  lifecycle {
    ignore_changes = [ami, user_data, user_data_base64]
  }
}

resource "aws_eip" "server" {
  count = var.server_count

  domain   = "vpc"
  instance = aws_instance.server[count.index].id
  tags     = merge(local.tags, { Name = "drover-${var.env}-server-${count.index + 1}" })
}

check "servers_run_the_rendered_configuration" {
  assert {
    condition     = alltrue([for server in aws_instance.server : server.user_data_base64 == local.server_user_data && server.ami == var.ami_id])
    error_message = "Some servers booted with an older cluster/${var.env}/server/user-data.yaml or AMI. Replace them one at a time, waiting for `drover cluster check ${var.env}` between: terraform apply -replace='module.cluster.aws_instance.server[N]'."
  }
}
