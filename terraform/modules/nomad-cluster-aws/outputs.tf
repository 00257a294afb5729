output "server_public_ips" {
  description = "Elastic IPs of the servers, in order: point the environment's Nomad, Consul and Vault names (environments/<env>.ts) at them for admins outside the VPC."
  value       = aws_eip.server[*].public_ip
}

output "server_private_ips" {
  description = "Private addresses of the servers, for names resolved inside the VPC."
  value       = aws_instance.server[*].private_ip
}

output "server_instance_ids" {
  description = "Instance IDs of the servers, in the order of aws_instance.server[N] (rolling replacement)."
  value       = aws_instance.server[*].id
}

output "client_autoscaling_groups" {
  description = "Auto Scaling group name of each client pool."
  value       = { for pool, group in aws_autoscaling_group.client : pool => group.name }
}

output "security_group_ids" {
  description = "Security groups of the servers and of the clients, e.g. to let a load balancer reach Fabio."
  value       = { server = aws_security_group.server.id, client = aws_security_group.client.id }
}

output "vpc_id" {
  description = "The VPC the cluster runs in (created or the given subnets')."
  value       = local.vpc_id
}

output "subnet_ids" {
  description = "The subnets the machines are spread over."
  value       = local.subnet_ids
}

output "instance_role_name" {
  description = "IAM role of every machine; attach further policies (e.g. ECR pulls) to it."
  value       = aws_iam_role.node.name
}
