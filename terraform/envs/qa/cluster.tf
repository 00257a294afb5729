# The qa cluster on AWS (environments/clusters/qa.ts), booted from cluster/qa/ as
# `drover cluster render qa` wrote it. QA comes first: build and check it before prod.
# The first apply targets this module alone; Vault's side (main.tf) needs the cluster running
# and initialised (terraform/README.md, "Order").

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = { "managed-by" = "terraform" }
  }
}

variable "aws_region" {
  description = "Region of the cluster; must equal environments/clusters/qa.ts platform.region, which the rendered retry_join names."
  type        = string
  default     = "eu-central-1"
}

variable "ami_id" {
  description = "Debian/Ubuntu AMI carrying the CA and agent certificates under /etc/drover/tls (environments/clusters/qa.ts tls.dir)."
  type        = string
}

variable "admin_cidrs" {
  description = "Networks of admins, CI (drover deploy) and Grafana: they reach Nomad, Consul, OpenBao and Prometheus on the servers and Fabio's UI."
  type        = list(string)
}

variable "ingress_cidrs" {
  description = "Networks that reach Fabio's proxy port (a load balancer's subnets, or the testers)."
  type        = list(string)
  default     = []
}

variable "ssh_cidrs" {
  description = "Networks that may SSH to the machines; [] for none (SSM Session Manager)."
  type        = list(string)
  default     = []
}

variable "key_name" {
  description = "EC2 key pair for SSH; null for none."
  type        = string
  default     = null
}

variable "subnet_ids" {
  description = "Existing subnets; null creates a VPC."
  type        = list(string)
  default     = null
}

module "cluster" {
  source = "../../modules/nomad-cluster-aws"

  env         = "qa"
  region      = var.aws_region
  cluster_dir = "${path.root}/../../../cluster/qa"
  ami_id      = var.ami_id

  # environments/clusters/qa.ts servers and clients (test/terraform checks they agree).
  server_count         = 3
  server_instance_type = "t3.medium"
  client_pools = {
    general = { instance_type = "t3.large", min_size = 2, max_size = 4, desired_capacity = 2 }
    # postgres's data lives on this pool's instance: replace it by hand, after a backup.
    storage = { instance_type = "m6id.large", min_size = 1, max_size = 1, desired_capacity = 1, rolling_refresh = false }
  }

  subnet_ids    = var.subnet_ids
  admin_cidrs   = var.admin_cidrs
  ingress_cidrs = var.ingress_cidrs
  ssh_cidrs     = var.ssh_cidrs
  key_name      = var.key_name

  # Static ports of the jobs qa runs on its clients (test/terraform checks every one is here).
  job_ports = [
    { port = 9999, from = ["ingress"], description = "Fabio proxy (jobs/fabio.ts): the routes of the apps" },
    { port = 9998, from = ["admin"], description = "Fabio UI (jobs/fabio.ts)" },
    { port = 9101, from = ["servers"], description = "Fabio metrics (jobs/fabio.ts) for Prometheus" },
    { port = 9100, from = ["servers"], description = "node-exporter (jobs/node-exporter.ts) for Prometheus" },
    { port = 5432, from = ["clients"], description = "postgres (jobs/postgres.ts) for the apps" },
  ]

  # environments/clusters/qa.ts gossip: the instances may read exactly these parameters.
  gossip_ssm_parameters = ["/drover/qa/gossip/consul", "/drover/qa/gossip/nomad"]
}

output "cluster" {
  description = "Server addresses (point nomad/vault/consul.qa.example.internal at them), pools' Auto Scaling groups, security groups."
  value       = module.cluster
}
