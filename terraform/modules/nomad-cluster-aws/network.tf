# The cluster's network: the subnets given, or a VPC with one public subnet per availability zone.
# Servers get Elastic IPs there; agents find each other by tag over private addresses.

locals {
  create_vpc = var.subnet_ids == null
  subnet_ids = local.create_vpc ? aws_subnet.public[*].id : var.subnet_ids
  vpc_id     = local.create_vpc ? aws_vpc.cluster[0].id : data.aws_subnet.given[0].vpc_id
}

data "aws_availability_zones" "available" {
  state = "available"
}

data "aws_subnet" "given" {
  count = local.create_vpc ? 0 : 1

  id = var.subnet_ids[0]
}

resource "aws_vpc" "cluster" {
  count = local.create_vpc ? 1 : 0

  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = merge(local.tags, { Name = "drover-${var.env}" })
}

resource "aws_internet_gateway" "cluster" {
  count = local.create_vpc ? 1 : 0

  vpc_id = aws_vpc.cluster[0].id
  tags   = merge(local.tags, { Name = "drover-${var.env}" })
}

resource "aws_subnet" "public" {
  count = local.create_vpc ? var.availability_zone_count : 0

  vpc_id                  = aws_vpc.cluster[0].id
  cidr_block              = cidrsubnet(var.vpc_cidr, 8, count.index)
  availability_zone       = data.aws_availability_zones.available.names[count.index]
  map_public_ip_on_launch = false

  tags = merge(local.tags, { Name = "drover-${var.env}-${data.aws_availability_zones.available.names[count.index]}" })
}

resource "aws_route_table" "public" {
  count = local.create_vpc ? 1 : 0

  vpc_id = aws_vpc.cluster[0].id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.cluster[0].id
  }

  tags = merge(local.tags, { Name = "drover-${var.env}-public" })
}

resource "aws_route_table_association" "public" {
  count = length(aws_subnet.public)

  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public[0].id
}
