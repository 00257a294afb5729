output "id" {
  description = "Changes whenever the host is provisioned again."
  value       = terraform_data.provision.id
}
