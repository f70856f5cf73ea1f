output "function_name" {
  description = "Name of the scaler Lambda function."
  value       = aws_lambda_function.scaler.function_name
}

output "function_arn" {
  description = "ARN of the scaler Lambda function."
  value       = aws_lambda_function.scaler.arn
}

output "role_arn" {
  description = "ARN of the scaler's role."
  value       = aws_iam_role.scaler.arn
}

output "role_policy" {
  description = "The scaler role's policy document (JSON)."
  value       = aws_iam_role_policy.scaler.policy
}

output "page_uploaded_rule_name" {
  description = "Name of the EventBridge rule that matches page uploads."
  value       = aws_cloudwatch_event_rule.page_uploaded.name
}

output "page_uploaded_rule_arn" {
  description = "ARN of the EventBridge rule that matches page uploads (the only sender the queue allows)."
  value       = aws_cloudwatch_event_rule.page_uploaded.arn
}

output "schedule_rule_name" {
  description = "Name of the every-minute EventBridge rule that runs the scaler."
  value       = aws_cloudwatch_event_rule.every_minute.name
}

output "failure_queue_name" {
  description = "Name of the queue that receives failed asynchronous scaler invocations."
  value       = aws_sqs_queue.scaler_failures.name
}

output "failure_queue_url" {
  description = "URL of the queue that receives failed asynchronous scaler invocations."
  value       = aws_sqs_queue.scaler_failures.id
}

output "scaler_environment" {
  description = "EULEREYE_* environment of the scaler function."
  value       = local.scaler_environment
}

output "scaler_rule_targets" {
  description = "EventBridge rules that invoke the scaler directly: the schedule (empty when eventbridge_invokes_scaler is off)."
  value       = keys(aws_cloudwatch_event_target.scaler)
}

output "nudge_queue_url" {
  description = "URL of the queue of upload nudges the scaler drains in batches."
  value       = aws_sqs_queue.scaler_nudges.id
}

output "nudge_queue_arn" {
  description = "ARN of the queue of upload nudges."
  value       = aws_sqs_queue.scaler_nudges.arn
}

output "undelivered_events_queue_name" {
  description = "Name of the queue that keeps upload events EventBridge could not deliver."
  value       = aws_sqs_queue.undelivered_events.name
}

output "nudge_window_seconds" {
  description = "Seconds the scaler gathers upload nudges before one invocation."
  value       = var.nudge_window_seconds
}

output "page_uploaded_rule_pattern" {
  description = "Event pattern of the upload rule (JSON)."
  value       = aws_cloudwatch_event_rule.page_uploaded.event_pattern
}
