output "jwt_auth_path" {
  description = "Mount path of the JWT auth method (the environment's vault.jwtAuthPath)."
  value       = vault_jwt_auth_backend.nomad.path
}

output "jwt_auth_accessor" {
  description = "Accessor of the JWT auth method, for templated policies that use entity alias metadata."
  value       = vault_jwt_auth_backend.nomad.accessor
}

output "policy_names" {
  description = "Workload policies applied from policies_dir."
  value       = sort(keys(vault_policy.workload))
}

output "role_names" {
  description = "JWT roles applied from policies_dir/roles."
  value       = sort(keys(vault_jwt_auth_backend_role.workload))
}

output "deployer_policy_name" {
  description = "Name of the deployer policy, or null when not managed here."
  value       = one(vault_policy.deployer[*].name)
}
