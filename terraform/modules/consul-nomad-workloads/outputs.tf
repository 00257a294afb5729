output "auth_method_name" {
  description = "Name of the JWT auth method (the Nomad agents' consul.service_auth_method / task_auth_method)."
  value       = consul_acl_auth_method.nomad.name
}

output "jwks_url" {
  description = "Where Consul fetches Nomad's signing keys; drover cluster check compares it with this Nomad."
  value       = jsondecode(consul_acl_auth_method.nomad.config_json).JWKSURL
}

output "task_role_name" {
  description = "Role of the namespace's tasks."
  value       = consul_acl_role.tasks.name
}

output "fabio_role_name" {
  description = "Role of Fabio's tasks, or null without fabio_job_id."
  value       = one(consul_acl_role.fabio[*].name)
}

output "binding_rule_ids" {
  description = "IDs of the binding rules (services, tasks, fabio)."
  value       = compact([consul_acl_binding_rule.services.id, consul_acl_binding_rule.tasks.id, one(consul_acl_binding_rule.fabio[*].id)])
}
