terraform {
  # check blocks, optional() object attributes with defaults.
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # aws_vpc_security_group_ingress_rule / egress_rule (5.0) and aws_eip.domain (5.0).
      version = ">= 5.0.0, < 6.0.0"
    }
  }
}
