# The instance role every machine of the cluster has: list instances for cloud auto-join
# (Consul, Nomad and OpenBao find the servers by tag), read the gossip keys' parameters, use the
# KMS keys named. Tasks cannot borrow it: metadata needs IMDSv2 with a hop limit of 1.

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "node" {
  statement {
    sid = "CloudAutoJoin"
    # DescribeInstances cannot be limited to resources; it reads no secrets.
    actions   = ["ec2:DescribeInstances"]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = length(var.gossip_ssm_parameters) == 0 ? [] : [var.gossip_ssm_parameters]

    content {
      sid       = "GossipKeys"
      actions   = ["ssm:GetParameter"]
      resources = [for name in statement.value : "arn:${data.aws_partition.current.partition}:ssm:${var.region}:${data.aws_caller_identity.current.account_id}:parameter/${trimprefix(name, "/")}"]
    }
  }

  dynamic "statement" {
    for_each = length(var.kms_key_arns) == 0 ? [] : [var.kms_key_arns]

    content {
      sid       = "KmsKeys"
      actions   = ["kms:Decrypt", "kms:Encrypt", "kms:DescribeKey"]
      resources = statement.value
    }
  }
}

resource "aws_iam_role" "node" {
  name_prefix        = "drover-${var.env}-node-"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = local.tags
}

resource "aws_iam_role_policy" "node" {
  name   = "drover-cluster"
  role   = aws_iam_role.node.id
  policy = data.aws_iam_policy_document.node.json
}

resource "aws_iam_instance_profile" "node" {
  name_prefix = "drover-${var.env}-node-"
  role        = aws_iam_role.node.name
  tags        = local.tags
}
