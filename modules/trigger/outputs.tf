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
  description = "EventBridge rules that invoke the scaler (empty when eventbridge_invokes_scaler is off)."
  value       = keys(aws_cloudwatch_event_target.scaler)
}
