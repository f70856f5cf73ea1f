output "vpc_id" {
  description = "ID of the VPC tasks run in (created or given)."
  value       = local.vpc_id
}

output "subnet_ids" {
  description = "IDs of the private subnets tasks run in."
  value       = local.subnet_ids
}

output "task_security_group_id" {
  description = "ID of the tasks' security group (no inbound, HTTPS outbound only)."
  value       = aws_security_group.tasks.id
}

output "interface_endpoint_ids" {
  description = "Interface endpoint IDs by service name (empty for an existing VPC)."
  value       = { for service, endpoint in aws_vpc_endpoint.interface : service => endpoint.id }
}

output "s3_endpoint_id" {
  description = "ID of the S3 gateway endpoint (null for an existing VPC)."
  value       = local.create_vpc ? aws_vpc_endpoint.s3[0].id : null
}
