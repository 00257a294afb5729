terraform {
  # for_each over fileset() results and lifecycle preconditions.
  required_version = ">= 1.5.0"

  required_providers {
    vault = {
      source = "hashicorp/vault"
      # user_claim_json_pointer and disable_bound_claims_parsing on vault_jwt_auth_backend_role.
      version = ">= 4.0.0, < 6.0.0"
    }
  }
}
