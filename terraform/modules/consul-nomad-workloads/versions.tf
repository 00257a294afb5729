terraform {
  required_version = ">= 1.5.0"

  required_providers {
    consul = {
      source = "hashicorp/consul"
      # consul_acl_auth_method's config_json and consul_acl_binding_rule's bind_type "service".
      version = ">= 2.16.0, < 3.0.0"
    }
  }
}
