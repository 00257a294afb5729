# `terraform test` with a mocked AWS provider (offline, no credentials): the module against the
# committed cluster/qa files. test/integration/terraform-real.test.ts runs it when terraform and
# the hashicorp/aws provider are on the machine.

mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "eu-central-1" }
  }
  mock_data "aws_availability_zones" {
    defaults = { names = ["eu-central-1a", "eu-central-1b", "eu-central-1c"] }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_subnet" {
    defaults = { vpc_id = "vpc-0123456789abcdef0" }
  }
  mock_resource "aws_iam_instance_profile" {
    defaults = { arn = "arn:aws:iam::123456789012:instance-profile/drover-qa-node" }
  }
  mock_resource "aws_launch_template" {
    defaults = { id = "lt-0123456789abcdef0", latest_version = 1 }
  }
}

variables {
  env                  = "qa"
  region               = "eu-central-1"
  cluster_dir          = "../../../cluster/qa"
  ami_id               = "ami-0123456789abcdef0"
  server_instance_type = "t3.medium"
  admin_cidrs          = ["192.0.2.0/24"]
  ingress_cidrs        = ["198.51.100.0/24"]
  client_pools = {
    general = { instance_type = "t3.large", min_size = 2, max_size = 4, desired_capacity = 2 }
    storage = { instance_type = "m6id.large", min_size = 1, max_size = 1, desired_capacity = 1, rolling_refresh = false }
  }
  job_ports = [
    { port = 9999, from = ["ingress"], description = "Fabio proxy" },
    { port = 5432, from = ["clients"], description = "postgres" },
  ]
  gossip_ssm_parameters = ["/drover/qa/gossip/consul"]
}

run "builds_a_cluster_in_a_new_vpc" {
  command = apply

  assert {
    condition     = length(aws_instance.server) == 3 && length(aws_eip.server) == 3
    error_message = "Expected three servers, each with an Elastic IP."
  }
  assert {
    condition     = alltrue([for server in aws_instance.server : server.tags["drover-cluster"] == "qa-server"])
    error_message = "Servers must carry the tag the rendered retry_join looks for."
  }
  assert {
    condition     = length(aws_vpc.cluster) == 1 && length(aws_subnet.public) == 3
    error_message = "Expected a VPC with one subnet per availability zone."
  }
  assert {
    condition     = toset(keys(aws_autoscaling_group.client)) == toset(["general", "storage"])
    error_message = "Expected one Auto Scaling group per pool."
  }
  assert {
    condition     = length(aws_autoscaling_group.client["storage"].instance_refresh) == 0 && length(aws_autoscaling_group.client["general"].instance_refresh) == 1
    error_message = "Instance refresh only where rolling_refresh is true."
  }
  assert {
    # EC2 takes at most 16 KB of user data before base64; the raw file is close to that.
    condition     = length(aws_instance.server[0].user_data_base64) * 3 / 4 < 16384 && length(aws_instance.server[0].user_data_base64) * 3 / 4 < length(file("../../../cluster/qa/server/user-data.yaml")) / 2
    error_message = "The server user data must be gzipped, under 16 KB."
  }
  assert {
    condition     = contains(keys(aws_vpc_security_group_ingress_rule.cluster), "server-4647-tcp-clients") && contains(keys(aws_vpc_security_group_ingress_rule.cluster), "client-9999-tcp-ingress-198.51.100.0/24")
    error_message = "Expected Nomad RPC from clients to servers and Fabio from the ingress networks."
  }
  assert {
    condition     = length([for key in keys(aws_vpc_security_group_ingress_rule.cluster) : key if startswith(key, "server-22-") || startswith(key, "client-22-") || strcontains(key, "-8500-") || strcontains(key, "-8502-") || strcontains(key, "-8600-")]) == 0
    error_message = "No SSH without ssh_cidrs, and no loopback-only Consul port opened."
  }
  assert {
    condition     = aws_vpc_security_group_ingress_rule.cluster["client-20000-tcp-clients"].to_port == 32000
    error_message = "The dynamic port range must be one rule from 20000 to 32000."
  }
}

run "uses_given_subnets" {
  command = plan

  variables {
    subnet_ids = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
    ssh_cidrs  = ["203.0.113.7/32"]
  }

  assert {
    condition     = length(aws_vpc.cluster) == 0 && length(aws_subnet.public) == 0
    error_message = "No VPC when subnets are given."
  }
  assert {
    condition     = aws_instance.server[0].subnet_id == "subnet-0aaaaaaaaaaaaaaaa" && aws_instance.server[1].subnet_id == "subnet-0bbbbbbbbbbbbbbbb" && aws_instance.server[2].subnet_id == "subnet-0aaaaaaaaaaaaaaaa"
    error_message = "Servers are spread over the given subnets in order."
  }
  assert {
    condition     = contains(keys(aws_vpc_security_group_ingress_rule.cluster), "server-22-tcp-ssh-203.0.113.7/32")
    error_message = "SSH opens to ssh_cidrs."
  }
}

run "refuses_an_even_server_count" {
  command = plan

  variables {
    server_count = 4
  }

  expect_failures = [var.server_count]
}
