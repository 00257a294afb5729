# Consul's side of Nomad workload identities: Nomad clients log every service and task in to
# Consul with the JWT Nomad signed for it (nomad.hcl consul.service_identity / task_identity,
# audience consul.io) and use the token Consul returns. Consul trusts those JWTs through this
# auth method; the binding rules decide what each token may do.

locals {
  task_role_name  = "${var.name_prefix}tasks-${var.nomad_namespace}"
  fabio_role_name = "${var.name_prefix}fabio"
  # Nomad's claims, named as Consul's selectors and bind names read them (value.<name>).
  claim_mappings = {
    nomad_namespace = "nomad_namespace"
    nomad_job_id    = "nomad_job_id"
    nomad_task      = "nomad_task"
    nomad_service   = "nomad_service"
  }
}

resource "consul_acl_auth_method" "nomad" {
  name         = var.auth_method_name
  type         = "jwt"
  display_name = "Nomad workloads"
  description  = "Nomad workload identities (drover)"
  # No max_token_ttl, as `nomad setup consul`: Nomad 2.0.5 logs a workload in once, when its
  # allocation starts, never again (client/allocrunner/consul_hook.go Prerun), and revokes the token
  # when it stops. A capped token expires under a running Fabio and under service registrations.
  token_locality = "local"

  config_json = jsonencode(merge(
    {
      JWKSURL          = "${trimsuffix(var.nomad_address, "/")}/.well-known/jwks.json"
      JWTSupportedAlgs = ["RS256"]
      BoundAudiences   = var.audiences
      ClaimMappings    = local.claim_mappings
    },
    var.jwks_ca_pem == null ? {} : { JWKSCACert = var.jwks_ca_pem },
  ))
}

# A service's JWT carries nomad_service: its token is that service's identity (register it,
# its checks, discover others), nothing else.
resource "consul_acl_binding_rule" "services" {
  auth_method = consul_acl_auth_method.nomad.name
  description = "Nomad services: a service identity named after the service"
  selector    = "\"nomad_service\" in value"
  bind_type   = "service"
  bind_name   = "$${value.nomad_service}"
}

# A task's JWT carries nomad_task instead: tasks of this namespace get its role (read the
# catalog and the KV keys the jobs read through templates). Tasks of any other namespace
# name a role that does not exist, and Consul refuses their login.
resource "consul_acl_binding_rule" "tasks" {
  auth_method = consul_acl_auth_method.nomad.name
  description = "Nomad tasks: the role of their namespace"
  selector    = "\"nomad_service\" not in value"
  bind_type   = "role"
  bind_name   = "${var.name_prefix}tasks-$${value.nomad_namespace}"
}

# Fabio's tasks also get Fabio's role (every matching rule adds to the token).
resource "consul_acl_binding_rule" "fabio" {
  count = var.fabio_job_id == null ? 0 : 1

  auth_method = consul_acl_auth_method.nomad.name
  description = "Fabio's tasks: read the catalog and Fabio's KV, register Fabio"
  selector    = "\"nomad_service\" not in value and value.nomad_namespace == \"${var.nomad_namespace}\" and value.nomad_job_id == \"${var.fabio_job_id}\""
  bind_type   = "role"
  bind_name   = local.fabio_role_name
}

resource "consul_acl_policy" "tasks" {
  name        = local.task_role_name
  description = "Tasks of Nomad namespace ${var.nomad_namespace}: the catalog, and exactly the KV keys its jobs read"
  rules = join("\n", concat(
    [
      "service_prefix \"\" {\n  policy = \"read\"\n}",
      "node_prefix \"\" {\n  policy = \"read\"\n}",
    ],
    [for key in sort(var.kv_read_keys) : "key \"${key}\" {\n  policy = \"read\"\n}"],
  ))
}

resource "consul_acl_role" "tasks" {
  name        = local.task_role_name
  description = "Nomad tasks of namespace ${var.nomad_namespace} (binding rule ${var.auth_method_name})"
  policies    = [consul_acl_policy.tasks.id]
}

resource "consul_acl_policy" "fabio" {
  count = var.fabio_job_id == null ? 0 : 1

  name        = local.fabio_role_name
  description = "Fabio: read the catalog and its KV prefix, register itself"
  rules = join("\n", [
    "service_prefix \"\" {\n  policy = \"read\"\n}",
    "node_prefix \"\" {\n  policy = \"read\"\n}",
    "key_prefix \"${var.fabio_kv_prefix}\" {\n  policy = \"read\"\n}",
    "service \"${var.fabio_service_name}\" {\n  policy = \"write\"\n}",
    "agent_prefix \"\" {\n  policy = \"read\"\n}",
  ])
}

resource "consul_acl_role" "fabio" {
  count = var.fabio_job_id == null ? 0 : 1

  name        = local.fabio_role_name
  description = "Fabio's tasks (job ${var.fabio_job_id} in ${var.nomad_namespace})"
  policies    = [consul_acl_policy.fabio[0].id]
}
