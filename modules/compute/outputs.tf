output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the ECS cluster."
  value       = aws_ecs_cluster.this.arn
}

output "task_definition_arn" {
  description = "ARN (with revision) of the worker task definition."
  value       = aws_ecs_task_definition.worker.arn
}

output "task_definition_family_arn" {
  description = "ARN of the worker task definition without revision, for IAM resources."
  value       = aws_ecs_task_definition.worker.arn_without_revision
}

output "container_name" {
  description = "Name of the worker container."
  value       = var.container_name
}

output "capacity_provider" {
  description = "Capacity provider workers are started on (FARGATE or FARGATE_SPOT)."
  value       = local.capacity_provider
}

output "task_role_arn" {
  description = "ARN of the worker's task role."
  value       = aws_iam_role.task.arn
}

output "execution_role_arn" {
  description = "ARN of the worker's execution role."
  value       = aws_iam_role.execution.arn
}

output "task_role_policy" {
  description = "The task role's policy document (JSON)."
  value       = aws_iam_role_policy.task.policy
}

output "execution_role_policy" {
  description = "The execution role's policy document (JSON)."
  value       = aws_iam_role_policy.execution.policy
}

output "log_group_name" {
  description = "CloudWatch Logs group of the workers."
  value       = aws_cloudwatch_log_group.worker.name
}

output "worker_environment" {
  description = "EULEREYE_* environment of the worker container."
  value       = local.worker_environment
}
