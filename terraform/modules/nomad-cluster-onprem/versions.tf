terraform {
  # terraform_data (1.4), optional() attributes with defaults, nonsensitive().
  required_version = ">= 1.5.0"

  # No provider: terraform_data and the file/remote-exec provisioners are built in.
  required_providers {}
}
