# With the Textract engine, workers share a fleet-wide Textract rate through a DynamoDB table
# (modules/compute/ratelimit.tf); private subnets reach DynamoDB through a gateway endpoint
# (free, like the S3 one).
resource "aws_vpc_endpoint" "dynamodb" {
  count             = local.create_vpc && var.textract_endpoint ? 1 : 0
  vpc_id            = aws_vpc.this[0].id
  service_name      = "com.amazonaws.${data.aws_region.current.name}.dynamodb"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private[0].id]
  tags              = merge(var.tags, { Name = "${var.name}-dynamodb" })
}
