# `terraform test` of the on-prem module against the committed cluster/prod files: a plan only,
# so no host is contacted. test/integration/terraform-real.test.ts runs it when terraform is there.

variables {
  env         = "prod"
  cluster_dir = "../../../cluster/prod"
  project_dir = "../../.."
  servers = [
    { name = "s1", address = "192.0.2.11" },
    { name = "s2", address = "192.0.2.12" },
    { name = "s3", address = "192.0.2.13" },
  ]
  client_pools = {
    prod1   = [{ name = "c1", address = "192.0.2.21" }, { name = "c2", address = "192.0.2.22" }]
    storage = [{ name = "db1", address = "192.0.2.31" }]
  }
  ssh_user = "provision"
}

run "provisions_every_host_from_files_json" {
  command = plan

  assert {
    condition     = length(module.server_1) == 1 && length(module.server_3) == 1 && length(module.server_4) == 0 && length(module.server_7) == 0
    error_message = "Three servers take the first three places of the chain."
  }
  assert {
    condition     = toset(keys(module.client)) == toset(["c1", "c2", "db1"])
    error_message = "Every client host is provisioned."
  }
  assert {
    condition     = contains(output.provisioned_files["server"], "/etc/prometheus/rules/drover.rules.yml") && contains(output.provisioned_files["server"], "/usr/local/sbin/drover-install.sh")
    error_message = "Folders of files.json (prometheus/rules) are expanded per file."
  }
  assert {
    condition     = !contains(output.provisioned_files["client-prod1"], "/etc/openbao.d/openbao.hcl") && contains(output.provisioned_files["client-prod1"], "/etc/nomad.d/nomad.hcl")
    error_message = "Each kind of machine gets its own files."
  }
  assert {
    condition     = strcontains(local.apply_scripts["server"], "--restart") && strcontains(local.apply_scripts["server"], "until rejoined") && !strcontains(local.apply_scripts["client-prod1"], "until rejoined")
    error_message = "Servers wait for their rejoin after a restart; clients do not."
  }
}

run "refuses_an_even_server_count" {
  command = plan

  variables {
    servers = [{ name = "s1", address = "192.0.2.11" }, { name = "s2", address = "192.0.2.12" }]
  }

  expect_failures = [var.servers]
}
