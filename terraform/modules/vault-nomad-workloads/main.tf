# Trusts Nomad's workload identities and applies every policy and JWT role drover rendered for
# one environment. Whoever runs this needs Vault admin rights once; the people who deploy jobs
# afterwards need none, because each job's access is decided by the committed files.

locals {
  # <job>.hcl -> policy "drover-<job>"; roles/<job>.json -> role "drover-<job>". drover names
  # both the same way, and each role's token_policies must name its own policy (checked below).
  policies = {
    for file in fileset(var.policies_dir, "*.hcl") :
    "${var.name_prefix}${trimsuffix(file, ".hcl")}" => "${var.policies_dir}/${file}"
  }
  roles = {
    for file in fileset(var.policies_dir, "roles/*.json") :
    "${var.name_prefix}${trimsuffix(basename(file), ".json")}" => jsondecode(file("${var.policies_dir}/${file}"))
  }
}

resource "vault_jwt_auth_backend" "nomad" {
  path        = var.jwt_auth_path
  type        = "jwt"
  description = "Nomad workload identities (drover)"

  jwks_url           = "${trimsuffix(var.nomad_address, "/")}/.well-known/jwks.json"
  jwks_ca_pem        = var.jwks_ca_pem
  jwt_supported_algs = ["RS256", "EdDSA"]
  # No default_role: every drover task names its role (drover-<job>) in its vault block.
}

resource "vault_policy" "workload" {
  for_each = local.policies

  name   = each.key
  policy = file(each.value)
}

resource "vault_jwt_auth_backend_role" "workload" {
  for_each = local.roles

  backend   = vault_jwt_auth_backend.nomad.path
  role_name = each.key

  role_type         = each.value.role_type
  bound_audiences   = each.value.bound_audiences
  bound_claims_type = each.value.bound_claims_type
  bound_claims      = each.value.bound_claims
  # The provider otherwise splits claim values on commas; drover's values are exact strings.
  disable_bound_claims_parsing = true
  user_claim                   = each.value.user_claim
  user_claim_json_pointer      = each.value.user_claim_json_pointer
  claim_mappings               = each.value.claim_mappings

  token_type              = each.value.token_type
  token_policies          = each.value.token_policies
  token_ttl               = each.value.token_ttl
  token_period            = each.value.token_period
  token_no_default_policy = each.value.token_no_default_policy

  lifecycle {
    precondition {
      condition     = length(each.value.token_policies) == 1 && each.value.token_policies[0] == each.key && contains(keys(local.policies), each.key)
      error_message = "Role ${each.key} must grant exactly its own policy ${each.key}, rendered next to it in ${var.policies_dir}. Run `drover render` and commit vault-policies/."
    }
  }

  # A role whose policy does not exist yet would log tasks in with no access at all.
  depends_on = [vault_policy.workload]
}

resource "vault_policy" "deployer" {
  count = var.deployer_policy_file == null ? 0 : 1

  name   = var.deployer_policy_name
  policy = file(var.deployer_policy_file)
}
