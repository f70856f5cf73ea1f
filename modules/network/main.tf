# Where Fargate tasks run: private subnets whose only way out is VPC endpoints (S3 gateway,
# interface endpoints for ECR, CloudWatch Logs, SQS, optionally Textract), so tasks need
# neither a public IP nor a NAT gateway. Or an existing VPC given by vpc_id and subnet_ids.

locals {
  create_vpc = var.vpc_id == null
  vpc_id     = local.create_vpc ? aws_vpc.this[0].id : var.vpc_id
  subnet_ids = local.create_vpc ? aws_subnet.private[*].id : var.subnet_ids
  azs        = local.create_vpc ? slice(data.aws_availability_zones.available.names, 0, var.az_count) : []
  interface_services = toset(local.create_vpc ? concat(
    var.interface_endpoint_services, var.textract_endpoint ? ["textract"] : []
  ) : [])
  # Each subnet gets an equal slice of the VPC: four bits more than the VPC's mask.
  subnet_newbits = 4
}

data "aws_region" "current" {}

data "aws_availability_zones" "available" {
  #checkov:skip=CKV_AWS_394:Only the first az_count zones are used (slice below); a zone AWS adds later gets a later letter and does not widen the deployment.
  state = "available"
}

resource "aws_vpc" "this" {
  count                = local.create_vpc ? 1 : 0
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true # interface endpoints answer under the services' public names
  tags                 = merge(var.tags, { Name = var.name })
}

# The default security group of the VPC allows nothing.
resource "aws_default_security_group" "this" {
  count  = local.create_vpc ? 1 : 0
  vpc_id = aws_vpc.this[0].id
  tags   = merge(var.tags, { Name = "${var.name}-default-deny" })
}

resource "aws_subnet" "private" {
  count                   = local.create_vpc ? var.az_count : 0
  vpc_id                  = aws_vpc.this[0].id
  availability_zone       = local.azs[count.index]
  cidr_block              = cidrsubnet(var.vpc_cidr, local.subnet_newbits, count.index)
  map_public_ip_on_launch = false
  tags                    = merge(var.tags, { Name = "${var.name}-private-${local.azs[count.index]}" })
}

resource "aws_route_table" "private" {
  count  = local.create_vpc ? 1 : 0
  vpc_id = aws_vpc.this[0].id
  tags   = merge(var.tags, { Name = "${var.name}-private" })
}

resource "aws_route_table_association" "private" {
  count          = local.create_vpc ? var.az_count : 0
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[0].id
}

resource "aws_vpc_endpoint" "s3" {
  count             = local.create_vpc ? 1 : 0
  vpc_id            = aws_vpc.this[0].id
  service_name      = "com.amazonaws.${data.aws_region.current.name}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private[0].id]
  tags              = merge(var.tags, { Name = "${var.name}-s3" })
}

resource "aws_security_group" "endpoints" {
  count       = local.create_vpc ? 1 : 0
  name        = "${var.name}-endpoints"
  description = "Interface endpoints: HTTPS from inside the VPC"
  vpc_id      = aws_vpc.this[0].id
  tags        = merge(var.tags, { Name = "${var.name}-endpoints" })

  ingress {
    description = "HTTPS from the VPC"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }
}

resource "aws_vpc_endpoint" "interface" {
  for_each            = local.interface_services
  vpc_id              = aws_vpc.this[0].id
  service_name        = "com.amazonaws.${data.aws_region.current.name}.${each.value}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.endpoints[0].id]
  tags                = merge(var.tags, { Name = "${var.name}-${each.value}" })
}

# Tasks accept no connections and may only open HTTPS connections.
resource "aws_security_group" "tasks" {
  name        = "${var.name}-tasks"
  description = "eulereye workers: no inbound, HTTPS outbound only"
  vpc_id      = local.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-tasks" })

  egress {
    description     = "HTTPS to AWS APIs (VPC endpoints or the given ranges)"
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    cidr_blocks     = local.create_vpc ? [var.vpc_cidr] : var.egress_cidr_blocks
    prefix_list_ids = local.create_vpc ? concat([aws_vpc_endpoint.s3[0].prefix_list_id], aws_vpc_endpoint.dynamodb[*].prefix_list_id) : []
  }
}

# Flow logs of the created VPC: a record of every connection tasks attempt.
resource "aws_cloudwatch_log_group" "flow_logs" {
  #checkov:skip=CKV_AWS_158:Encrypted by CloudWatch Logs by default; pass kms_key_arn for a customer-managed key.
  #checkov:skip=CKV_AWS_338:Retention is a cost decision left to flow_log_retention_days (default 30 days).
  count             = local.create_vpc ? 1 : 0
  name              = "/eulereye/${var.name}/vpc-flow-logs"
  retention_in_days = var.flow_log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_iam_role" "flow_logs" {
  count = local.create_vpc ? 1 : 0
  name  = "${var.name}-vpc-flow-logs"
  tags  = var.tags
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "vpc-flow-logs.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "flow_logs" {
  count = local.create_vpc ? 1 : 0
  name  = "write-flow-logs"
  role  = aws_iam_role.flow_logs[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
      Resource = ["${aws_cloudwatch_log_group.flow_logs[0].arn}:*"]
    }]
  })
}

resource "aws_flow_log" "this" {
  count                = local.create_vpc ? 1 : 0
  vpc_id               = aws_vpc.this[0].id
  traffic_type         = "ALL"
  log_destination_type = "cloud-watch-logs"
  log_destination      = aws_cloudwatch_log_group.flow_logs[0].arn
  iam_role_arn         = aws_iam_role.flow_logs[0].arn
  tags                 = var.tags
}
