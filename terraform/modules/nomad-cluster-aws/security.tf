# Security groups with exactly the ports each role listens on, each rule saying who needs it and
# why (README.md, "Ports"). Everything else is closed; loopback-only listeners (Consul's plain
# HTTP 8500, gRPC 8502, DNS 8600) are never opened.

locals {
  p = var.ports

  # role: where the port listens; from: servers, clients (security groups), admin, ingress, ssh (CIDR lists).
  agent_rules = [
    { role = "server", port = local.p.nomad.http, protocols = ["tcp"], from = ["servers", "admin"], why = "Nomad HTTP API: Prometheus and OpenBao fetching the JWKS on the servers, admins and drover" },
    { role = "server", port = local.p.nomad.rpc, protocols = ["tcp"], from = ["servers", "clients"], why = "Nomad RPC: clients to servers, servers to each other" },
    { role = "server", port = local.p.nomad.serf, protocols = ["tcp", "udp"], from = ["servers"], why = "Nomad serf gossip between servers" },
    { role = "server", port = local.p.consul.server, protocols = ["tcp"], from = ["servers", "clients"], why = "Consul server RPC: agents to servers, raft between servers" },
    { role = "server", port = local.p.consul.serf_lan, protocols = ["tcp", "udp"], from = ["servers", "clients"], why = "Consul LAN gossip: every agent with every agent" },
    { role = "server", port = local.p.consul.serf_wan, protocols = ["tcp", "udp"], from = ["servers"], why = "Consul WAN gossip: every server is in the WAN pool" },
    { role = "server", port = local.p.consul.https, protocols = ["tcp"], from = ["servers", "admin"], why = "Consul HTTPS API: Prometheus on the servers, admins and drover (locks, catalog)" },
    { role = "server", port = local.p.vault.api, protocols = ["tcp"], from = ["servers", "clients", "admin"], why = "OpenBao/Vault API: raft auto-join and Prometheus on the servers, Nomad clients fetching task secrets, admins, Terraform and drover" },
    { role = "server", port = local.p.vault.cluster, protocols = ["tcp"], from = ["servers"], why = "OpenBao/Vault cluster port: raft and request forwarding between servers" },
    { role = "server", port = local.p.prometheus, protocols = ["tcp"], from = ["admin"], why = "Prometheus: Grafana, admins and the canary metric gates of drover" },
    { role = "server", port = local.p.node_exporter, protocols = ["tcp"], from = ["servers"], why = "node-exporter on the servers, scraped by Prometheus" },
    { role = "client", port = local.p.nomad.http, protocols = ["tcp"], from = ["servers"], why = "Nomad client HTTP API: Prometheus scrapes /v1/metrics" },
    { role = "client", port = local.p.consul.serf_lan, protocols = ["tcp", "udp"], from = ["servers", "clients"], why = "Consul LAN gossip: every agent with every agent" },
  ]

  dynamic_rule = {
    role = "client", port = var.dynamic_ports.from, to = var.dynamic_ports.to, protocols = ["tcp"], from = ["servers", "clients"],
    why  = "Nomad dynamic ports: Fabio on any client proxies to the apps, Prometheus on the servers scrapes them"
  }

  job_rules = [
    for p in var.job_ports : { role = "client", port = p.port, protocols = [p.protocol], from = p.from, why = p.description }
  ]

  ssh_rules = length(var.ssh_cidrs) == 0 ? [] : [
    { role = "server", port = 22, protocols = ["tcp"], from = ["ssh"], why = "SSH for admins" },
    { role = "client", port = 22, protocols = ["tcp"], from = ["ssh"], why = "SSH for admins" },
  ]

  # Security-group sources have no CIDR (null): one rule each.
  cidrs = { servers = [null], clients = [null], admin = var.admin_cidrs, ingress = var.ingress_cidrs, ssh = var.ssh_cidrs }

  # One ingress rule per (rule, protocol, source group or CIDR), keyed so that a plan names it.
  ingress_rules = merge([
    for rule in concat(local.agent_rules, [local.dynamic_rule], local.job_rules, local.ssh_rules) : merge([
      for protocol in rule.protocols : merge([
        for source in rule.from : {
          for cidr in local.cidrs[source] :
          "${rule.role}-${rule.port}-${protocol}-${source}${cidr == null ? "" : "-${cidr}"}" => {
            security_group_id = rule.role == "server" ? aws_security_group.server.id : aws_security_group.client.id
            from_port         = rule.port
            to_port           = try(rule.to, rule.port)
            protocol          = protocol
            source_group      = source == "servers" ? aws_security_group.server.id : source == "clients" ? aws_security_group.client.id : null
            cidr              = cidr
            description       = rule.why
          }
        }
      ]...)
    ]...)
  ]...)
}

resource "aws_security_group" "server" {
  name_prefix = "drover-${var.env}-server-"
  description = "drover ${var.env} servers: Nomad, Consul and OpenBao/Vault servers, Prometheus"
  vpc_id      = local.vpc_id
  tags        = merge(local.tags, { Name = "drover-${var.env}-server" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_security_group" "client" {
  name_prefix = "drover-${var.env}-client-"
  description = "drover ${var.env} clients: Nomad and Consul clients and the jobs they run"
  vpc_id      = local.vpc_id
  tags        = merge(local.tags, { Name = "drover-${var.env}-client" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "cluster" {
  for_each = local.ingress_rules

  security_group_id            = each.value.security_group_id
  from_port                    = each.value.from_port
  to_port                      = each.value.to_port
  ip_protocol                  = each.value.protocol
  referenced_security_group_id = each.value.source_group
  cidr_ipv4                    = each.value.cidr
  description                  = each.value.description
  tags                         = local.tags
}

# Outbound: release downloads and apt (install.sh), the EC2 API (auto-join), SSM (gossip keys),
# image registries and whatever the jobs call.
resource "aws_vpc_security_group_egress_rule" "all" {
  for_each = {
    server = aws_security_group.server.id
    client = aws_security_group.client.id
  }

  security_group_id = each.value
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
  description       = "Outbound: downloads, EC2 and SSM APIs, registries"
  tags              = local.tags
}
