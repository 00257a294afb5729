# A drover cluster on AWS from the files `drover cluster render <env>` wrote: servers with
# Elastic IPs (network.tf, servers.tf), one Auto Scaling group per client pool (clients.tf),
# security groups (security.tf) and the instance role for cloud auto-join (iam.tf).

locals {
  tags = merge(var.tags, { "drover-env" = var.env })

  # The tag the rendered retry_join and OpenBao's auto_join look for: tag_key=drover-cluster tag_value=<env>-server.
  server_tag_value = "${var.env}-server"
}

data "aws_region" "current" {}

data "aws_partition" "current" {}

data "aws_caller_identity" "current" {}

# Root device name of the AMI (Debian /dev/xvda, Ubuntu /dev/sda1) for the launch templates.
# By ID alone, so an AMI shared from another account is found too.
data "aws_ami" "selected" {
  filter {
    name   = "image-id"
    values = [var.ami_id]
  }
}

# The rendered configuration names the region in every retry_join; a provider in another
# region would start machines that never find each other.
check "provider_region_matches_cluster" {
  assert {
    condition     = data.aws_region.current.name == var.region
    error_message = "The AWS provider is in ${data.aws_region.current.name} but cluster/${var.env} was rendered for ${var.region} (environments/clusters/${var.env}.ts platform.region)."
  }
}
