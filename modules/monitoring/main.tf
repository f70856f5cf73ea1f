# Alarms for what needs a person (pages in the DLQ, a stalled queue, failing tasks or
# scaler), an SNS topic they notify, and a dashboard of the pipeline.

data "aws_region" "current" {}

resource "aws_sns_topic" "alarms" {
  name              = "${var.name}-alarms"
  kms_master_key_id = local.topic_key # reliability.tf: a key CloudWatch may use
  tags              = var.tags
}

resource "aws_sns_topic_subscription" "email" {
  count     = var.alarm_email == null ? 0 : 1
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

# Worker tasks that stopped with a non-zero exit code. The rule has no target: CloudWatch
# counts its matches (AWS/Events MatchedEvents), which the alarm below watches.
resource "aws_cloudwatch_event_rule" "task_failed" {
  name        = "${var.name}-task-failed"
  description = "A worker task of ${var.cluster_name} stopped with a non-zero exit code"
  tags        = var.tags
  event_pattern = jsonencode({
    source      = ["aws.ecs"]
    detail-type = ["ECS Task State Change"]
    detail = {
      clusterArn = [var.cluster_arn]
      lastStatus = ["STOPPED"]
      containers = { exitCode = [{ anything-but = 0 }] }
    }
  })
}

locals {
  alarms = {
    pages-in-dlq = {
      description = "Pages failed ${var.dead_letter_queue_name} after all retries: inspect and redrive them."
      namespace   = "AWS/SQS"
      metric      = "ApproximateNumberOfMessagesVisible"
      statistic   = "Maximum"
      dimensions  = { QueueName = var.dead_letter_queue_name }
      threshold   = 0
    }
    oldest-page-age = {
      description = "A page has waited in ${var.queue_name} for over ${var.oldest_message_age_threshold_seconds} s: are workers starting?"
      namespace   = "AWS/SQS"
      metric      = "ApproximateAgeOfOldestMessage"
      statistic   = "Maximum"
      dimensions  = { QueueName = var.queue_name }
      threshold   = var.oldest_message_age_threshold_seconds
    }
    failed-tasks = {
      description = "Worker tasks of ${var.cluster_name} stopped with an error: see the worker log group."
      namespace   = "AWS/Events"
      metric      = "MatchedEvents"
      statistic   = "Sum"
      dimensions  = { RuleName = aws_cloudwatch_event_rule.task_failed.name }
      threshold   = 0
    }
    scaler-errors = {
      description = "The scaler Lambda ${var.scaler_function_name} failed: no new workers start."
      namespace   = "AWS/Lambda"
      metric      = "Errors"
      statistic   = "Sum"
      dimensions  = { FunctionName = var.scaler_function_name }
      threshold   = 0
    }
    scaler-failed-invocations = {
      description = "Scaler invocations failed after retries (${var.scaler_failure_queue_name})."
      namespace   = "AWS/SQS"
      metric      = "ApproximateNumberOfMessagesVisible"
      statistic   = "Maximum"
      dimensions  = { QueueName = var.scaler_failure_queue_name }
      threshold   = 0
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each            = local.alarms
  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  statistic           = each.value.statistic
  dimensions          = each.value.dimensions
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  period              = 300
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
  tags                = var.tags
}

locals {
  region = data.aws_region.current.name
  widget = {
    queue = {
      title = "Work queue"
      metrics = [
        ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", var.queue_name, { label = "waiting" }],
        ["AWS/SQS", "ApproximateNumberOfMessagesNotVisible", "QueueName", var.queue_name, { label = "in progress" }],
        ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", var.dead_letter_queue_name, { label = "dead-letter" }],
      ]
    }
    age = {
      title   = "Oldest waiting page (s)"
      metrics = [["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", var.queue_name]]
    }
    tasks = {
      title   = "Running workers"
      metrics = [["ECS/ContainerInsights", "RunningTaskCount", "ClusterName", var.cluster_name]]
    }
    scaler = {
      title = "Scaler"
      metrics = [
        ["AWS/Lambda", "Invocations", "FunctionName", var.scaler_function_name],
        ["AWS/Lambda", "Errors", "FunctionName", var.scaler_function_name],
        ["AWS/Events", "MatchedEvents", "RuleName", aws_cloudwatch_event_rule.task_failed.name, { label = "failed tasks" }],
      ]
    }
  }
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = jsonencode({
    widgets = [
      for index, key in ["queue", "age", "tasks", "scaler"] : {
        type   = "metric"
        x      = (index % 2) * 12
        y      = floor(index / 2) * 6
        width  = 12
        height = 6
        properties = {
          title   = local.widget[key].title
          metrics = local.widget[key].metrics
          region  = local.region
          stat    = "Maximum"
          period  = 60
          view    = "timeSeries"
        }
      }
    ]
  })
}
