# One Auto Scaling group per client pool, from a launch template carrying the rendered
# client-<pool>/user-data.yaml (gzipped). A changed rendering or AMI makes a new template version,
# which an instance refresh rolls out, half a pool at a time (rolling_refresh = false: by hand).

resource "aws_launch_template" "client" {
  for_each = var.client_pools

  name_prefix            = "drover-${var.env}-${each.key}-"
  description            = "drover ${var.env} client pool ${each.key}"
  image_id               = var.ami_id
  instance_type          = each.value.instance_type
  key_name               = var.key_name
  user_data              = base64gzip(file("${var.cluster_dir}/client-${each.key}/user-data.yaml"))
  update_default_version = true

  iam_instance_profile {
    arn = aws_iam_instance_profile.node.arn
  }

  network_interfaces {
    associate_public_ip_address = var.clients_public_ip
    security_groups             = [aws_security_group.client.id]
    delete_on_termination       = true
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  block_device_mappings {
    device_name = data.aws_ami.selected.root_device_name

    ebs {
      volume_type           = "gp3"
      volume_size           = each.value.volume_gb
      encrypted             = true
      delete_on_termination = true
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags          = merge(local.tags, { Name = "drover-${var.env}-${each.key}", "drover-role" = "client", "drover-pool" = each.key })
  }

  tag_specifications {
    resource_type = "volume"
    tags          = merge(local.tags, { Name = "drover-${var.env}-${each.key}" })
  }

  tags = local.tags
}

resource "aws_autoscaling_group" "client" {
  for_each = var.client_pools

  name_prefix         = "drover-${var.env}-${each.key}-"
  min_size            = each.value.min_size
  max_size            = each.value.max_size
  desired_capacity    = each.value.desired_capacity
  vpc_zone_identifier = local.subnet_ids
  health_check_type   = "EC2"

  launch_template {
    id      = aws_launch_template.client[each.key].id
    version = aws_launch_template.client[each.key].latest_version
  }

  dynamic "instance_refresh" {
    for_each = each.value.rolling_refresh ? [each.key] : []

    content {
      strategy = "Rolling"

      preferences {
        min_healthy_percentage = 50
        instance_warmup        = 300
      }
    }
  }

  dynamic "tag" {
    for_each = merge(local.tags, { "drover-role" = "client", "drover-pool" = each.key })

    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = false
    }
  }

  # Servers first: clients retry the join, but a pool started long before its servers only logs.
  depends_on = [aws_instance.server]
}
