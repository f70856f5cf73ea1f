output "bucket_name" {
  description = "Page bucket: upload images under input/, read results under output/."
  value       = module.storage.bucket_name
}

output "input_uri" {
  description = "Where to upload page images."
  value       = "s3://${module.storage.bucket_name}/${module.storage.input_prefix}"
}

output "output_uri" {
  description = "Where results appear."
  value       = "s3://${module.storage.bucket_name}/${module.storage.output_prefix}"
}

output "queue_url" {
  description = "URL of the work queue."
  value       = module.queue.queue_url
}

output "dead_letter_queue_url" {
  description = "URL of the dead-letter queue (pages that failed every retry)."
  value       = module.queue.dead_letter_queue_url
}

output "ecr_repository_url" {
  description = "Repository the worker image is pushed to."
  value       = module.registry.repository_url
}

output "cluster_name" {
  description = "ECS cluster the workers run in."
  value       = module.compute.cluster_name
}

output "task_definition_arn" {
  description = "Worker task definition (with revision)."
  value       = module.compute.task_definition_arn
}

output "log_group_name" {
  description = "CloudWatch Logs group of the workers."
  value       = module.compute.log_group_name
}

output "scaler_function_name" {
  description = "Scaler Lambda function."
  value       = module.trigger.function_name
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the pipeline."
  value       = module.monitoring.dashboard_name
}

output "alarm_topic_arn" {
  description = "SNS topic the alarms notify."
  value       = module.monitoring.alarm_topic_arn
}

output "nudge_queue_url" {
  description = "Queue of upload nudges the scaler drains in batches (the local runner plays its event source mapping)."
  value       = module.trigger.nudge_queue_url
}

output "scaler_failure_queue_url" {
  description = "Queue of scaler invocations that failed after retries."
  value       = module.trigger.failure_queue_url
}

output "progress_dashboard_name" {
  description = "CloudWatch dashboard of batch progress: pages per hour, backlog, estimated finish, failure classes."
  value       = module.monitoring.progress_dashboard_name
}
