output "alarm_topic_arn" {
  description = "ARN of the SNS topic alarms notify."
  value       = aws_sns_topic.alarms.arn
}

output "alarm_names" {
  description = "Names of the CloudWatch alarms."
  value       = [for alarm in aws_cloudwatch_metric_alarm.this : alarm.alarm_name]
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "progress_dashboard_name" {
  description = "Name of the CloudWatch dashboard of batch progress: throughput, backlog, estimated finish, failure classes."
  value       = aws_cloudwatch_dashboard.progress.dashboard_name
}

output "progress_metric_namespace" {
  description = "CloudWatch namespace of PagesDone, PagesFailed and PagesSkipped (from the worker's logs)."
  value       = local.progress_namespace
}
