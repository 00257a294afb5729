variable "env" {
  description = "drover environment name (environments/clusters/<env>.ts env). Servers are tagged <cluster_tag_key>=<env>-server, the tag the rendered retry_join looks for."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*$", var.env))
    error_message = "env must be a drover environment name: lower-case letters, digits and dashes."
  }
}

variable "region" {
  description = "AWS region of the cluster definition (platform.region). The rendered retry_join names it, so the provider must be in the same region (checked)."
  type        = string
}

variable "cluster_dir" {
  description = "Folder `drover cluster render <env>` wrote (cluster/<env>): server/user-data.yaml and client-<pool>/user-data.yaml are read from it."
  type        = string
}

variable "cluster_tag_key" {
  description = "EC2 tag key of cloud auto-join; must equal CLUSTER_TAG_KEY in drover (src/render/cluster/roles.ts)."
  type        = string
  default     = "drover-cluster"
}

variable "ami_id" {
  description = "Debian or Ubuntu AMI (install.sh uses apt-get) that already carries the CA and agent certificates under the cluster's tls.dir (e.g. /etc/drover/tls), built with Packer or similar. Changing it does not replace running servers: see the README (rolling replacement)."
  type        = string
}

variable "server_count" {
  description = "Number of servers (servers.count). Each runs a Nomad server, a Consul server and an OpenBao/Vault raft peer."
  type        = number
  default     = 3

  validation {
    condition     = var.server_count % 2 == 1 && var.server_count <= 7
    error_message = "server_count must be odd (1, 3, 5 or 7) so that raft keeps a majority."
  }
}

variable "server_instance_type" {
  description = "EC2 instance type of the servers (servers.instanceType)."
  type        = string
}

variable "server_volume_gb" {
  description = "Root volume of each server (gp3, encrypted): Nomad, Consul and raft data, Prometheus' TSDB."
  type        = number
  default     = 50
}

variable "client_pools" {
  description = "One Auto Scaling group per client pool of the cluster definition (clients[]), keyed by pool name: rendered files come from <cluster_dir>/client-<name>/. rolling_refresh = false keeps instances when the launch template changes (pools with data on instance storage)."
  type = map(object({
    instance_type    = string
    min_size         = number
    max_size         = number
    desired_capacity = number
    volume_gb        = optional(number, 100)
    rolling_refresh  = optional(bool, true)
  }))

  validation {
    condition     = alltrue([for pool in values(var.client_pools) : pool.min_size <= pool.desired_capacity && pool.desired_capacity <= pool.max_size])
    error_message = "Every pool needs min_size <= desired_capacity <= max_size."
  }
}

variable "subnet_ids" {
  description = "Existing subnets to place every machine in (spread in order). null creates a VPC with one public subnet per availability zone. Given subnets need a route to the internet (install.sh downloads releases) and to the EC2 and SSM APIs."
  type        = list(string)
  default     = null
}

variable "vpc_cidr" {
  description = "CIDR of the VPC created when subnet_ids is null; each subnet is a /24 of it."
  type        = string
  default     = "10.0.0.0/16"
}

variable "availability_zone_count" {
  description = "Availability zones (and public subnets) of the created VPC."
  type        = number
  default     = 3
}

variable "clients_public_ip" {
  description = "Give client instances a public IP. Needed in the created VPC (no NAT gateway); set false in subnets that reach the internet through a NAT."
  type        = bool
  default     = true
}

variable "admin_cidrs" {
  description = "Who may reach the APIs and UIs: Nomad 4646, Consul 8501, OpenBao/Vault 8200 and Prometheus 9090 on servers (admins, CI running drover, Grafana), and what job_ports lists with from = [\"admin\"]."
  type        = list(string)
}

variable "ingress_cidrs" {
  description = "Who may reach the job ports listed with from = [\"ingress\"] (Fabio's proxy port): a load balancer's subnets, or the users."
  type        = list(string)
  default     = []
}

variable "ssh_cidrs" {
  description = "Who may reach port 22 on every machine; [] opens no SSH port (use SSM Session Manager)."
  type        = list(string)
  default     = []
}

variable "key_name" {
  description = "EC2 key pair for SSH; null for none."
  type        = string
  default     = null
}

variable "ports" {
  description = "Agent ports of the cluster definition (ports; HashiCorp's defaults). Only these and job_ports are opened."
  type = object({
    nomad         = object({ http = number, rpc = number, serf = number })
    consul        = object({ server = number, serf_lan = number, serf_wan = number, https = number })
    vault         = object({ api = number, cluster = number })
    prometheus    = number
    node_exporter = number
  })
  default = {
    nomad         = { http = 4646, rpc = 4647, serf = 4648 }
    consul        = { server = 8300, serf_lan = 8301, serf_wan = 8302, https = 8501 }
    vault         = { api = 8200, cluster = 8201 }
    prometheus    = 9090
    node_exporter = 9100
  }
}

variable "dynamic_ports" {
  description = "Nomad's dynamic port range on clients (client.min_dynamic_port / max_dynamic_port; Nomad's default). Apps listen here: Fabio on other clients proxies to them and Prometheus on the servers scrapes them."
  type        = object({ from = number, to = number })
  default     = { from = 20000, to = 32000 }
}

variable "job_ports" {
  description = "Static ports of the jobs that run on clients, with who reaches them: \"servers\" (Prometheus), \"clients\", \"admin\" (admin_cidrs) or \"ingress\" (ingress_cidrs)."
  type = list(object({
    port        = number
    protocol    = optional(string, "tcp")
    from        = list(string)
    description = string
  }))
  default = []

  validation {
    condition     = alltrue([for p in var.job_ports : alltrue([for f in p.from : contains(["servers", "clients", "admin", "ingress"], f)])])
    error_message = "job_ports[].from may name only \"servers\", \"clients\", \"admin\" or \"ingress\"."
  }

  # It becomes the security group rule's description, which EC2 limits to these characters.
  validation {
    condition     = alltrue([for p in var.job_ports : can(regex("^[A-Za-z0-9. _:/()#,@+=&;{}!$*\\[\\]-]{1,255}$", p.description))])
    error_message = "job_ports[].description may use letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* only (no quotes), up to 255 characters."
  }
}

variable "gossip_ssm_parameters" {
  description = "Names of the SSM SecureString parameters holding the gossip keys (gossip.*.parameter of the cluster definition). The instances may read exactly these."
  type        = list(string)
  default     = []
}

variable "kms_key_arns" {
  description = "Customer-managed KMS keys the instances may use: the one encrypting the gossip parameters (not needed for aws/ssm), and an awskms seal's key."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags on every resource, added to drover's own (drover-cluster, drover-role, drover-pool, Name)."
  type        = map(string)
  default     = {}
}
