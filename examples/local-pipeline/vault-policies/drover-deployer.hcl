# drover-deployer: what `drover` preflight needs, with a read-only token.
# Hand-written on purpose (not generated): it is the same for every job. Terraform applies it as
# policy "drover-deployer" (terraform/modules/vault-nomad-workloads). `drover validate` fails if
# any rule here could read a secret value (rule vault/deployer-no-values).
#
# Assumes the KV v2 mount "secret" and the JWT auth mount "jwt-nomad" (the environments'
# defaults); change both here if an environment sets vault.kvMount or vault.jwtAuthPath.

# Does each referenced secret exist, and which version is current? Never its value.
path "secret/metadata/*" {
  capabilities = ["read"]
}

# Does each referenced secret have the referenced key? Key names only, values are nulled.
path "secret/subkeys/*" {
  capabilities = ["read"]
}

# Are the deployed policies the ones in vault-policies/ (render --check against Vault)?
path "sys/policies/acl/drover-*" {
  capabilities = ["read"]
}

# Do the JWT roles the jobs' vault blocks name exist, with the committed bindings?
path "auth/jwt-nomad/role/drover-*" {
  capabilities = ["read"]
}

path "auth/jwt-nomad/role" {
  capabilities = ["list"]
}

# Who am I, and does my token outlive the deployment?
path "auth/token/lookup-self" {
  capabilities = ["read"]
}
