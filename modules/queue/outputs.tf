output "queue_url" {
  description = "URL of the work queue."
  value       = aws_sqs_queue.work.id
}

output "queue_arn" {
  description = "ARN of the work queue."
  value       = aws_sqs_queue.work.arn
}

output "queue_name" {
  description = "Name of the work queue."
  value       = aws_sqs_queue.work.name
}

output "dead_letter_queue_url" {
  description = "URL of the dead-letter queue."
  value       = aws_sqs_queue.dead_letter.id
}

output "dead_letter_queue_arn" {
  description = "ARN of the dead-letter queue."
  value       = aws_sqs_queue.dead_letter.arn
}

output "dead_letter_queue_name" {
  description = "Name of the dead-letter queue."
  value       = aws_sqs_queue.dead_letter.name
}

output "visibility_timeout_seconds" {
  description = "Visibility timeout of the work queue, for the worker's configuration."
  value       = aws_sqs_queue.work.visibility_timeout_seconds
}

output "queue_policy" {
  description = "The work queue's access policy (JSON) as applied."
  value       = aws_sqs_queue.work.policy
}
